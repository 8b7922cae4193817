package org.opentokgateway.delivery;

import java.sql.Timestamp;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;

/**
 * The persistent record of the de-duplication keys of stored callbacks, a JDBC table (an embedded
 * H2 file by default, PostgreSQL when several gateways share it). Used by the idempotent consumer
 * of the route {@code callback-store} and purged by {@code dedup-purge}.
 */
public class CallbackKeyRepository extends JdbcMessageIdRepository {

    /** The table, with room for every key the classifier makes and one row per key. */
    public static final String TABLE = "GATEWAY_CALLBACK_KEYS";

    private static final Logger LOG = LoggerFactory.getLogger(CallbackKeyRepository.class);

    private final long expiryMs;

    public CallbackKeyRepository(DataSource dataSource, String repositoryName, long expiryMs) {
        super(dataSource, repositoryName);
        this.expiryMs = expiryMs;
        // Every statement names the table: Camel's defaults would reset a custom create string
        // whenever a table name is set, and its column is too narrow for session keys.
        setTableExistsString("SELECT 1 FROM " + TABLE + " WHERE 1 = 0");
        setCreateString(
                "CREATE TABLE "
                        + TABLE
                        + " (processorName VARCHAR(255) NOT NULL,"
                        + " messageId VARCHAR(255) NOT NULL, createdAt TIMESTAMP NOT NULL,"
                        + " PRIMARY KEY (processorName, messageId))");
        setQueryString(
                "SELECT COUNT(*) FROM " + TABLE + " WHERE processorName = ? AND messageId = ?");
        setInsertString(
                "INSERT INTO " + TABLE + " (processorName, messageId, createdAt) VALUES (?, ?, ?)");
        setDeleteString("DELETE FROM " + TABLE + " WHERE processorName = ? AND messageId = ?");
        setClearString("DELETE FROM " + TABLE + " WHERE processorName = ?");
    }

    /**
     * Records a key after its callback was stored. The callback is on its queue whatever happens
     * here, so a failure (the database is down, or a concurrent request with the same key recorded
     * it first) must not turn into an error answer: it is logged, and at worst the next repeat is
     * stored once more.
     */
    @Override
    public boolean add(String key) {
        // One INSERT, no look-up first: the primary key refuses a key recorded already.
        try {
            return insert(key) == 1;
        } catch (DuplicateKeyException e) {
            return false;
        } catch (DataAccessException e) {
            LOG.warn(
                    "Could not record a de-duplication key; a repeat may be stored again: {}",
                    e.getMessage());
            return false;
        }
    }

    /** Deletes the keys older than the expiry; returns how many went. */
    public int purgeExpired() {
        return purgeOlderThan(System.currentTimeMillis() - expiryMs);
    }

    /** Deletes the keys recorded before the given time (ms since the epoch). */
    public int purgeOlderThan(long epochMs) {
        int deleted =
                getJdbcTemplate()
                        .update(
                                "DELETE FROM "
                                        + TABLE
                                        + " WHERE processorName = ? AND createdAt < ?",
                                getProcessorName(),
                                new Timestamp(epochMs));
        LOG.debug("Purged {} de-duplication key(s) older than {}", deleted, epochMs);
        return deleted;
    }

    /** How many keys are recorded, for tests and the report. */
    public int size() {
        Integer count =
                getJdbcTemplate()
                        .queryForObject(
                                "SELECT COUNT(*) FROM " + TABLE + " WHERE processorName = ?",
                                Integer.class,
                                getProcessorName());
        return count == null ? 0 : count;
    }
}
