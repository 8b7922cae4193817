package org.opentokgateway;

import org.apache.camel.main.Main;
import org.opentokgateway.admin.QueueBrowserTool;
import org.opentokgateway.security.SecurityConfiguration;
import org.opentokgateway.security.SignTool;
import org.opentokgateway.health.HealthConfiguration;
import org.opentokgateway.archive.ArchiveConfiguration;
import org.opentokgateway.delivery.DeliveryConfiguration;
import org.opentokgateway.alerts.AlertsConfiguration;
import org.opentokgateway.startup.StartupCheckException;
import org.opentokgateway.startup.StartupChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the gateway with Camel Main. Settings come from {@code application.properties} in the
 * working folder when there is one, then from the copy inside the jar; {@code -D} system properties
 * and environment variables override both. With the argument {@code browse} it runs the queue
 * browser instead (see {@link QueueBrowserTool}), with {@code sign} the token tool (see {@link
 * SignTool}).
 */
public final class GatewayMain {

    /** Working-folder file first, so a deployment overrides the defaults packed in the jar. */
    static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,"
                    + "classpath:application.properties;optional=true";

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

    private GatewayMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "browse".equals(args[0])) {
            System.exit(QueueBrowserTool.run(args));
        }
        if (args.length > 0 && "sign".equals(args[0])) {
            System.exit(SignTool.run(args));
        }
        Main main = create();
        int exitCode;
        try {
            exitCode = main.run(args);
        } catch (Exception e) {
            StartupCheckException refused = StartupCheckException.findIn(e);
            if (refused == null) {
                throw e;
            }
            // An operator's mistake, not a defect: one line, no stack trace.
            LOG.error("The gateway did not start: {}", refused.getMessage());
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    /** A Camel Main set up as the gateway, not yet started; tests start it the same way. */
    public static Main create() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        main.configure().addConfiguration(new StartupChecks());
        main.configure().addConfiguration(new GatewayConfiguration());
        main.configure().addConfiguration(new SecurityConfiguration());
        main.configure().addConfiguration(new HealthConfiguration());
        main.configure().addConfiguration(new ArchiveConfiguration());
        main.configure().addConfiguration(new DeliveryConfiguration());
        main.configure().addConfiguration(new AlertsConfiguration());
        return main;
    }
}
