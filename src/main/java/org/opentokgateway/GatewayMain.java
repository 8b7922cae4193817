package org.opentokgateway;

import org.apache.camel.main.Main;
import org.opentokgateway.admin.QueueBrowserTool;
import org.opentokgateway.alerts.AlertsConfiguration;

/**
 * Starts the gateway with Camel Main. Settings come from {@code application.properties} in the
 * working folder when there is one, then from the copy inside the jar; {@code -D} system
 * properties and environment variables override both. With the argument {@code browse} it runs
 * the queue browser instead (see {@link QueueBrowserTool}).
 */
public final class GatewayMain {

    /** Working-folder file first, so a deployment overrides the defaults packed in the jar. */
    static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "browse".equals(args[0])) {
            System.exit(QueueBrowserTool.run(args));
        }
        Main main = create();
        System.exit(main.run(args));
    }

    /** A Camel Main set up as the gateway, not yet started; tests start it the same way. */
    public static Main create() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        main.configure().addConfiguration(new GatewayConfiguration());
        main.configure().addConfiguration(new AlertsConfiguration());
        return main;
    }
}
