package org.opentokgateway.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.support.service.ServiceSupport;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent record of what post-processing has emitted per archive (a job, a failure alert, an
 * expiry alert), in an embedded H2 file. Each row names the stored callback (by its JMS message id)
 * that owns the emission: only that message may emit, so a job is sent once even when the gateway
 * stops between the record and the broker's commit. Used by {@link ArchiveJobProcessor}; started
 * and stopped by Camel as a service.
 */
public class ArchiveLedger extends ServiceSupport {

    /** What can be emitted once per archive. */
    public enum Outcome {
        JOB,
        FAILED,
        EXPIRED
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveLedger.class);
    private static final String DUPLICATE_KEY = "23505";

    private final Path dir;
    private final Duration retention;
    private JdbcConnectionPool pool;

    /**
     * @param retention how long a row is kept; callbacks of an archive arriving again after that
     *     would start a second job (the platform stops retrying after 24 h)
     */
    public ArchiveLedger(String dataDir, Duration retention) {
        this.dir = Path.of(dataDir).toAbsolutePath();
        this.retention = retention;
    }

    /** Deletes the rows older than the retention; returns how many. Route: archive-ledger-prune. */
    public int prune() throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement delete =
                        connection.prepareStatement(
                                "DELETE FROM archive_outcome WHERE recorded_at < ?")) {
            delete.setTimestamp(1, Timestamp.from(Instant.now().minus(retention)));
            int deleted = delete.executeUpdate();
            LOG.debug("Pruned {} ledger rows older than {}", deleted, retention);
            return deleted;
        }
    }

    /**
     * Claims an outcome of an archive for a message. True when the message may emit it: it wrote
     * the row now, or it wrote it on an earlier delivery that did not commit.
     */
    public boolean claim(String archiveId, Outcome outcome, String messageId) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO archive_outcome (archive_id, outcome,"
                                    + " owner_message_id, recorded_at) SELECT ?, ?, ?, ? WHERE NOT"
                                    + " EXISTS (SELECT 1 FROM archive_outcome WHERE archive_id = ?"
                                    + " AND outcome = ?)")) {
            insert.setString(1, archiveId);
            insert.setString(2, outcome.name());
            insert.setString(3, messageId);
            insert.setTimestamp(4, Timestamp.from(Instant.now()));
            insert.setString(5, archiveId);
            insert.setString(6, outcome.name());
            if (insert.executeUpdate() == 1) {
                return true;
            }
        } catch (SQLException e) {
            // Two consumers inserting at once: the loser sees the key taken, as below.
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
        }
        // The row exists: the same message redelivered (its send was rolled back) may emit.
        return messageId.equals(owner(archiveId, outcome));
    }

    /** Whether an outcome of an archive has been claimed by any message. */
    public boolean claimed(String archiveId, Outcome outcome) throws SQLException {
        return owner(archiveId, outcome) != null;
    }

    private String owner(String archiveId, Outcome outcome) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT owner_message_id FROM archive_outcome"
                                        + " WHERE archive_id = ? AND outcome = ?")) {
            select.setString(1, archiveId);
            select.setString(2, outcome.name());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(dir);
        // WRITE_DELAY=0: a claim is written to the file before the job is sent, not later.
        String url =
                "jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        pool = JdbcConnectionPool.create(url, "gateway", "");
        try (Connection connection = pool.getConnection();
                Statement ddl = connection.createStatement()) {
            ddl.execute(
                    "CREATE TABLE IF NOT EXISTS archive_outcome ("
                            + " archive_id VARCHAR(200) NOT NULL,"
                            + " outcome VARCHAR(20) NOT NULL,"
                            + " owner_message_id VARCHAR(200) NOT NULL,"
                            + " recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                            + " PRIMARY KEY (archive_id, outcome))");
        }
        LOG.info("Archive post-processing ledger open in {}", dir);
    }

    @Override
    protected void doStop() {
        JdbcConnectionPool open = pool;
        pool = null;
        if (open != null) {
            // Closing the last connection closes the database file (no close delay is set).
            open.dispose();
        }
    }
}
