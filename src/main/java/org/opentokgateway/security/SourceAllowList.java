package org.opentokgateway.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.net.SocketAddress;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.opentokgateway.intake.RequestHeaders;

/**
 * Refuses callbacks from addresses outside the configured CIDR ranges with 403 (off when no range
 * is set). Behind a proxy, the client address comes from a forwarded header, but only when the
 * request comes from a trusted proxy. Route: {@code callback-intake}.
 */
public class SourceAllowList implements Processor {

    private final List<Cidr> allowed;
    private final List<Cidr> trustedProxies;
    private final String forwardedHeader;
    private final AtomicLong refused = new AtomicLong();

    public SourceAllowList(String allowed, String trustedProxies, String forwardedHeader) {
        this.allowed = Cidr.parseList(allowed);
        this.trustedProxies = Cidr.parseList(trustedProxies);
        this.forwardedHeader = forwardedHeader;
    }

    public boolean isOn() {
        return !allowed.isEmpty();
    }

    /** Requests refused since start. */
    public long refused() {
        return refused.get();
    }

    @Override
    public void process(Exchange exchange) throws ForbiddenSourceException {
        if (allowed.isEmpty()) {
            return;
        }

        Object remote = exchange.getMessage().getHeader("CamelVertxPlatformHttpRemoteAddress");
        String peer = remote instanceof SocketAddress socket ? socket.hostAddress() : null;
        // Two header lines are one chain, joined in order (Camel may hand them over as a list).
        String forwarded = RequestHeaders.joined(exchange.getMessage(), forwardedHeader);
        String client = clientAddress(peer, forwarded);

        if (client == null || allowed.stream().noneMatch(c -> c.contains(client))) {
            refused.incrementAndGet();
            throw new ForbiddenSourceException("the source address is not allowed");
        }
    }

    /**
     * The peer itself, unless it is a trusted proxy: then the right-most address of the forwarded
     * chain that is not a trusted proxy.
     */
    String clientAddress(String peer, String forwarded) {
        if (peer == null
                || forwarded == null
                || trustedProxies.stream().noneMatch(c -> c.contains(peer))) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && trustedProxies.stream().noneMatch(c -> c.contains(hop))) {
                return hop;
            }
        }
        return peer;
    }

    /** An address range such as {@code 216.147.0.0/18} or {@code ::1/128}. */
    record Cidr(byte[] network, int prefix) {

        static List<Cidr> parseList(String list) {
            List<Cidr> ranges = new ArrayList<>();
            if (list == null) {
                return ranges;
            }
            for (String part : list.split(",")) {
                if (!part.isBlank()) {
                    ranges.add(parse(part.trim()));
                }
            }
            return ranges;
        }

        static Cidr parse(String text) {
            String[] parts = text.split("/", 2);
            byte[] network = literal(parts[0]);
            if (network == null) {
                throw new IllegalArgumentException("Not an IP address range: " + text);
            }
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            return new Cidr(network, prefix);
        }

        boolean contains(String address) {
            byte[] candidate = literal(address);
            if (candidate == null || candidate.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((candidate[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** The bytes of a numeric IP literal; null for anything else (never a DNS look-up). */
        private static byte[] literal(String text) {
            String value = text.trim();
            if (value.startsWith("[") && value.endsWith("]")) {
                value = value.substring(1, value.length() - 1);
            }
            // Only literals: an IPv6 address has a colon (no host name has one); an IPv4 address
            // is four dotted decimal numbers. Anything else is refused without a look-up.
            boolean ipv6 =
                    value.indexOf(':') >= 0
                            && value.chars()
                                    .allMatch(
                                            ch ->
                                                    Character.digit(ch, 16) >= 0
                                                            || ch == ':'
                                                            || ch == '.');
            boolean ipv4 = value.matches("\\d{1,3}(\\.\\d{1,3}){3}");
            if (!ipv4 && !ipv6) {
                return null;
            }
            try {
                return InetAddress.getByName(value).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
