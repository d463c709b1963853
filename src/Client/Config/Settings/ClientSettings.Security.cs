namespace Orlog.Client;

/// <summary>TLS and SASL settings: Orlog has neither yet, so they are taken with no effect while security.protocol is plaintext.</summary>
internal static partial class ClientSettings
{
    private const string NoTls = "Orlog has no TLS yet: security.protocol must be plaintext, so TLS settings have no effect.";

    private const string NoSasl = "Orlog has no authentication yet: security.protocol must be plaintext, so SASL settings have no effect.";

    private static IEnumerable<ClientSetting> Security()
    {
        foreach (var name in (string[])[
            "enable.ssl.certificate.verification",
            "https.ca.location",
            "https.ca.pem",
            "security.providers",
            "ssl.ca.certificate.stores",
            "ssl.ca.location",
            "ssl.ca.pem",
            "ssl.certificate.location",
            "ssl.certificate.pem",
            "ssl.certificate.verify_cb",
            "ssl.cipher.suites",
            "ssl.crl.location",
            "ssl.curves.list",
            "ssl.enabled.protocols",
            "ssl.endpoint.identification.algorithm",
            "ssl.engine.factory.class",
            "ssl.engine.id",
            "ssl.engine.location",
            "ssl.key.location",
            "ssl.key.password",
            "ssl.key.pem",
            "ssl.keymanager.algorithm",
            "ssl.keystore.certificate.chain",
            "ssl.keystore.key",
            "ssl.keystore.location",
            "ssl.keystore.password",
            "ssl.keystore.type",
            "ssl.protocol",
            "ssl.provider",
            "ssl.providers",
            "ssl.secure.random.implementation",
            "ssl.sigalgs.list",
            "ssl.trustmanager.algorithm",
            "ssl.truststore.certificates",
            "ssl.truststore.location",
            "ssl.truststore.password",
            "ssl.truststore.type",
            "ssl_ca",
            "ssl_certificate",
            "ssl_engine_callback_data",
            "ssl_key",
        ])
        {
            yield return NoEffect(name, SettingScope.Common, KindOf(name), "A TLS setting: certificates, keys, protocols and verification.", NoTls);
        }
        foreach (var name in (string[])[
            "enable.sasl.oauthbearer.unsecure.jwt",
            "sasl.client.callback.handler.class",
            "sasl.jaas.config",
            "sasl.kerberos.keytab",
            "sasl.kerberos.kinit.cmd",
            "sasl.kerberos.min.time.before.relogin",
            "sasl.kerberos.principal",
            "sasl.kerberos.service.name",
            "sasl.kerberos.ticket.renew.jitter",
            "sasl.kerberos.ticket.renew.window.factor",
            "sasl.login.callback.handler.class",
            "sasl.login.class",
            "sasl.login.connect.timeout.ms",
            "sasl.login.read.timeout.ms",
            "sasl.login.refresh.buffer.seconds",
            "sasl.login.refresh.min.period.seconds",
            "sasl.login.refresh.window.factor",
            "sasl.login.refresh.window.jitter",
            "sasl.login.retry.backoff.max.ms",
            "sasl.login.retry.backoff.ms",
            "sasl.mechanism",
            "sasl.mechanisms",
            "sasl.oauthbearer.assertion.algorithm",
            "sasl.oauthbearer.assertion.claim.aud",
            "sasl.oauthbearer.assertion.claim.exp.seconds",
            "sasl.oauthbearer.assertion.claim.iss",
            "sasl.oauthbearer.assertion.claim.jti.include",
            "sasl.oauthbearer.assertion.claim.nbf.seconds",
            "sasl.oauthbearer.assertion.claim.sub",
            "sasl.oauthbearer.assertion.file",
            "sasl.oauthbearer.assertion.jwt.template.file",
            "sasl.oauthbearer.assertion.private.key.file",
            "sasl.oauthbearer.assertion.private.key.passphrase",
            "sasl.oauthbearer.assertion.private.key.pem",
            "sasl.oauthbearer.assertion.template.file",
            "sasl.oauthbearer.client.credentials.client.id",
            "sasl.oauthbearer.client.credentials.client.secret",
            "sasl.oauthbearer.client.id",
            "sasl.oauthbearer.client.secret",
            "sasl.oauthbearer.clock.skew.seconds",
            "sasl.oauthbearer.config",
            "sasl.oauthbearer.expected.audience",
            "sasl.oauthbearer.expected.issuer",
            "sasl.oauthbearer.extensions",
            "sasl.oauthbearer.grant.type",
            "sasl.oauthbearer.header.urlencode",
            "sasl.oauthbearer.jwks.endpoint.refresh.ms",
            "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms",
            "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms",
            "sasl.oauthbearer.jwks.endpoint.url",
            "sasl.oauthbearer.jwt.retriever.class",
            "sasl.oauthbearer.jwt.validator.class",
            "sasl.oauthbearer.metadata.authentication.type",
            "sasl.oauthbearer.method",
            "sasl.oauthbearer.scope",
            "sasl.oauthbearer.scope.claim.name",
            "sasl.oauthbearer.sub.claim.name",
            "sasl.oauthbearer.token.endpoint.url",
            "sasl.password",
            "sasl.username",
        ])
        {
            yield return NoEffect(name, SettingScope.Common, KindOf(name), "A SASL setting: mechanism, credentials, Kerberos and OAuth bearer tokens.", NoSasl);
        }
    }

    // Enough of the type to check a value: numbers where Kafka has numbers, true/false where it has switches.
    private static SettingKind KindOf(string name) =>
        name.EndsWith(".ms", StringComparison.Ordinal) || name.EndsWith(".seconds", StringComparison.Ordinal) || name.EndsWith(".relogin", StringComparison.Ordinal) ? SettingKind.Long
        : name.StartsWith("enable.", StringComparison.Ordinal) || name.EndsWith(".include", StringComparison.Ordinal) || name.EndsWith(".urlencode", StringComparison.Ordinal) ? SettingKind.Bool
        : name.Contains("factor", StringComparison.Ordinal) || name.Contains("jitter", StringComparison.Ordinal) ? SettingKind.Double
        : name.Contains("password", StringComparison.Ordinal) || name.Contains("secret", StringComparison.Ordinal) || name.Contains("passphrase", StringComparison.Ordinal) ? SettingKind.Password
        : SettingKind.Text;
}
