using System.Globalization;
using System.Net;
using System.Text;

namespace Orlog.Silo.Tests.Web;

/// <summary>Metrics pushed by OTLP (HTTP/protobuf) to a collector, here a listener of the test's own, with the web surface off.</summary>
public sealed class OtlpExportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_silo_pushes_the_Orlog_meter_to_the_configured_OTLP_endpoint()
    {
        var port = FreePorts.Take(1)[0];
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        collector.Start();

        await using var silo = SiloProcess.Start(_temp.Path,
            ["--data-dir", _temp.Combine("data"), "--silo-port", "0", "--gateway-port", "0", "--web-port", "off",
             "--otlp-endpoint", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/v1/metrics"],
            new Dictionary<string, string> { ["OTEL_METRIC_EXPORT_INTERVAL"] = "500" });

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var seen = new List<string>();
        while (true)
        {
            var context = await collector.GetContextAsync().WaitAsync(deadline - DateTime.UtcNow);
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            context.Response.StatusCode = 200;
            context.Response.Close();
            seen.Add($"{context.Request.HttpMethod} {context.Request.Url?.AbsolutePath} {context.Request.ContentType}");
            // Protobuf keeps strings as UTF-8: the instrument names and the service's name are readable in the payload.
            var text = Encoding.UTF8.GetString(body.ToArray());
            if (context.Request.HttpMethod == "POST" && context.Request.Url?.AbsolutePath == "/v1/metrics" && context.Request.ContentType == "application/x-protobuf"
                && text.Contains("kafka.partition.count", StringComparison.Ordinal) && text.Contains("orlog", StringComparison.Ordinal))
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no OTLP export with Orlog's metrics within 60 s; requests: {string.Join("; ", seen)}\n{silo.Describe()}");
        }
        Assert.DoesNotContain("web http", silo.Output, StringComparison.Ordinal);
    }
}
