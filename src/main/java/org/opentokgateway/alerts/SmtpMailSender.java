package org.opentokgateway.alerts;

import java.net.URI;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.mail.MailEndpoint;

/**
 * Sends one ops mail through SMTP with camel-mail, using the {@code gateway.mail.*} settings. As a
 * processor it sends the queued mail in the exchange (route {@code ops-mail-send}); any failure is
 * thrown, so the route retries it.
 */
public class SmtpMailSender implements Processor {

    private final CamelContext context;
    private final MailSettings settings;
    private MailEndpoint endpoint;
    private ProducerTemplate producer;

    public SmtpMailSender(CamelContext context, MailSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String subject =
                exchange.getMessage().getHeader(AlertKinds.MAIL_SUBJECT_HEADER, String.class);
        String body = exchange.getMessage().getBody(String.class);
        send(new OpsMail(subject == null ? "ops alert" : subject, body == null ? "" : body));
    }

    /** Sends the mail now; throws when the SMTP server does not take it. */
    public void send(OpsMail mail) throws Exception {
        if (!settings.enabled()) {
            throw new IllegalStateException("Mail is off: gateway.mail.smtp.host is empty");
        }
        Exchange result =
                producer()
                        .send(
                                endpoint(),
                                exchange -> {
                                    // camel-mail turns every header into a mail header: only the
                                    // subject goes along.
                                    exchange.getMessage().getHeaders().clear();
                                    exchange.getMessage().setHeader("Subject", mail.subject());
                                    exchange.getMessage().setBody(mail.body());
                                });
        if (result.getException() != null) {
            throw result.getException();
        }
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    /** Built on first use, so that nothing about mail is resolved while mail is off. */
    private synchronized MailEndpoint endpoint() throws Exception {
        if (endpoint != null) {
            return endpoint;
        }
        String protocol = settings.protocol();
        String address = protocol + "://" + settings.host() + ":" + settings.port();

        MailConfiguration config = new MailConfiguration(context);
        config.configure(new URI(address));
        if (settings.user() != null && !settings.user().isBlank()) {
            config.setUsername(settings.user());
            config.setPassword(settings.password());
        }
        config.setFrom(settings.from());
        config.setTo(settings.to());
        config.setContentType("text/plain; charset=UTF-8");
        config.setConnectionTimeout(settings.connectTimeoutMs());
        config.setAdditionalJavaMailProperties(javaMailProperties(protocol));

        MailComponent component = context.getComponent(protocol, MailComponent.class);
        MailEndpoint created = new MailEndpoint(address, component, config);
        context.addEndpoint(address, created);
        endpoint = created;
        return created;
    }

    private Properties javaMailProperties(String protocol) {
        Properties props = new Properties();
        String prefix = "mail." + protocol + ".";
        props.setProperty(
                prefix + "connectiontimeout", String.valueOf(settings.connectTimeoutMs()));
        props.setProperty(prefix + "timeout", String.valueOf(settings.readTimeoutMs()));
        props.setProperty(prefix + "writetimeout", String.valueOf(settings.readTimeoutMs()));
        if (MailSettings.STARTTLS.equals(settings.security())) {
            // Required, not only enabled: a server that cannot upgrade must not get credentials.
            props.setProperty(prefix + "starttls.enable", "true");
            props.setProperty(prefix + "starttls.required", "true");
        }
        return props;
    }
}
