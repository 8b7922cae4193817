package org.opentokgateway.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentokgateway.archive.ArchiveLedger.Outcome;

/** The ownership rule of the ledger: one owner per archive and outcome, kept across restarts. */
class ArchiveLedgerTest {

    @TempDir Path dir;

    @Test
    void should_let_only_the_owning_message_emit_also_after_a_restart() throws Exception {
        ArchiveLedger ledger = new ArchiveLedger(dir.toString(), Duration.ofDays(30));
        ledger.start();

        boolean first = ledger.claim("a1", Outcome.JOB, "ID:m1");
        boolean redelivered = ledger.claim("a1", Outcome.JOB, "ID:m1");
        boolean repeat = ledger.claim("a1", Outcome.JOB, "ID:m2");
        boolean otherOutcome = ledger.claim("a1", Outcome.FAILED, "ID:m2");
        ledger.stop();
        ArchiveLedger reopened = new ArchiveLedger(dir.toString(), Duration.ofDays(30));
        reopened.start();

        assertTrue(first);
        assertTrue(redelivered, "the same message, redelivered after a rollback, still owns it");
        assertFalse(repeat, "another callback of the same archive does not");
        assertTrue(otherOutcome);
        assertFalse(reopened.claim("a1", Outcome.JOB, "ID:m3"), "the record survives a restart");
        assertTrue(reopened.claim("a1", Outcome.JOB, "ID:m1"));
        assertTrue(reopened.claimed("a1", Outcome.JOB));
        assertFalse(reopened.claimed("a2", Outcome.JOB));
        reopened.stop();
    }

    @Test
    void should_prune_rows_older_than_the_retention() throws Exception {
        ArchiveLedger ledger = new ArchiveLedger(dir.toString(), Duration.ZERO);
        ledger.start();
        ledger.claim("a1", Outcome.JOB, "ID:m1");
        Thread.sleep(5);

        int deleted = ledger.prune();

        assertEquals(1, deleted);
        assertFalse(ledger.claimed("a1", Outcome.JOB));
        ledger.stop();
    }
}
