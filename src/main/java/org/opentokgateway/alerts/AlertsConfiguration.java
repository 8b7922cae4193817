package org.opentokgateway.alerts;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.util.TimeUtils;
import org.opentokgateway.GatewayProperties;
import org.opentokgateway.health.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the ops alerts: the in-memory alert sources and outbox, the dead-letter watcher, and, when
 * {@code gateway.mail.smtp.host} is set, the mail routes that read the alert queue. Routes: {@code
 * routes/ops-alerts.camel.yaml}.
 */
public class AlertsConfiguration implements CamelConfiguration {

    /** Routes that read the alert and mail queues: started only while mail is on. */
    static final String[] MAIL_ROUTES = {"ops-alert-mail", "ops-mail-send"};

    /** Route that logs the alerts on the queue: started only while mail is off. */
    static final String LOG_ROUTE = "ops-alert-log";

    private static final Logger LOG = LoggerFactory.getLogger(AlertsConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        GatewayProperties props = new GatewayProperties(context);
        Clock clock = Clock.systemUTC();
        MailSettings mail = mailSettings(props);
        Duration window = duration(props, "gateway.alerts.window");
        String alertQueue = props.get("gateway.queue.ops-alerts");
        String mailQueue = props.get("gateway.queue.ops-mail");

        AlertMailComposer composer =
                new AlertMailComposer(
                        props.get("gateway.mail.subject-prefix"), gatewayName(context));
        SmtpMailSender smtp = new SmtpMailSender(context, mail);
        MailDispatcher dispatcher =
                new MailDispatcher(
                        context,
                        mailQueue,
                        smtp,
                        Duration.ofMillis(props.getLong("gateway.mail.retry.initial-delay-ms")),
                        Duration.ofMillis(props.getLong("gateway.mail.retry.max-delay-ms")));
        AlertDigester digester =
                new AlertDigester(
                        window,
                        props.getInt("gateway.alerts.digest-examples"),
                        props.getInt("gateway.alerts.max-mails-per-hour"),
                        composer);
        AlertMailer mailer = new AlertMailer(digester, dispatcher, clock);

        AlertOutbox outbox =
                new AlertOutbox(
                        context,
                        alertQueue,
                        props.getInt("gateway.alerts.outbox-capacity"),
                        duration(props, "gateway.alerts.direct-mail-after"),
                        mail.enabled() ? mailer : null,
                        clock);
        GatewayMetrics metrics =
                context.getRegistry().lookupByNameAndType("gatewayMetrics", GatewayMetrics.class);
        if (metrics != null) {
            outbox.setOnRaised(metrics::alertRaised);
        }

        int errorThreshold = props.getInt("gateway.alerts.callback-errors.threshold");
        int refusalThreshold = props.getInt("gateway.alerts.rejected-burst.threshold");
        OutcomeAlertProcessor outcomes =
                new OutcomeAlertProcessor(
                        outbox,
                        new SlidingWindowCounter(
                                duration(props, "gateway.alerts.callback-errors.window"),
                                Math.max(errorThreshold, 10_000)),
                        errorThreshold,
                        new SlidingWindowCounter(
                                duration(props, "gateway.alerts.rejected-burst.window"),
                                Math.max(refusalThreshold, 10_000)),
                        refusalThreshold,
                        clock);

        context.getRegistry().bind("alertOutbox", outbox);
        context.getRegistry().bind("alertMailer", mailer);
        context.getRegistry().bind("alertDigester", digester);
        context.getRegistry().bind("mailDispatcher", dispatcher);
        context.getRegistry().bind("smtpMailSender", smtp);
        context.getRegistry().bind("alertOnFailure", outcomes);
        context.getRegistry().bind("alertQueueLog", new AlertQueueLog(context, alertQueue));
        context.getRegistry()
                .bind(
                        "deadLetterAlert",
                        new DeadLetterAlertProcessor(outbox, Set.of(alertQueue, mailQueue)));

        context.addStartupListener(mailRoutesStarter(mail, alertQueue));
    }

    private static StartupListener mailRoutesStarter(MailSettings mail, String alertQueue) {
        return new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // Routes start only once the context is fully started: see below.
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted)
                    throws Exception {
                if (!mail.enabled()) {
                    context.getRouteController().startRoute(LOG_ROUTE);
                    LOG.warn(
                            "Ops mail is off (gateway.mail.smtp.host is empty): alerts stay on the "
                                    + "queue {} and in this log",
                            alertQueue);
                    return;
                }
                for (String route : MAIL_ROUTES) {
                    context.getRouteController().startRoute(route);
                }
                LOG.info("Ops alerts are mailed through {}", mail);
            }
        };
    }

    private static MailSettings mailSettings(GatewayProperties props) {
        return new MailSettings(
                props.get("gateway.mail.smtp.host"),
                props.getInt("gateway.mail.smtp.port"),
                props.get("gateway.mail.smtp.user"),
                props.get("gateway.mail.smtp.password"),
                props.get("gateway.mail.smtp.security"),
                props.get("gateway.mail.from"),
                props.get("gateway.mail.to"),
                props.get("gateway.mail.subject-prefix"),
                props.getInt("gateway.mail.smtp.connect-timeout-ms"),
                props.getInt("gateway.mail.smtp.read-timeout-ms"));
    }

    /** A duration property: 5m, 30s, 1h, 1h30m, or a number of milliseconds. */
    static Duration duration(GatewayProperties props, String key) {
        String value = props.get(key);
        try {
            return Duration.ofMillis(TimeUtils.toMilliSeconds(value));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "The property "
                            + key
                            + " must be a duration such as "
                            + "5m, 30s or 1500 (ms), not '"
                            + value
                            + "'",
                    e);
        }
    }

    private static String gatewayName(CamelContext context) {
        String name =
                context.getPropertiesComponent()
                        .resolveProperty("camel.main.name")
                        .orElse("opentok-callback-gateway");
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = System.getenv().getOrDefault("HOSTNAME", "unknown host");
        }
        return name + " on " + host;
    }
}
