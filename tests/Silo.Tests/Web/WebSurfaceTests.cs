using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Orlog.Silo.Tests.Web;

/// <summary>The web surface of a real silo process: credentials, health endpoints, read-only routes, the port held.</summary>
public sealed class WebSurfaceTests : IDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _exitTimeout = TimeSpan.FromSeconds(40);
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    private async Task<(SiloProcess Silo, string Web)> StartAsync(string name, params string[] more)
    {
        var dataDirectory = _temp.Combine(name);
        var silo = SiloProcess.Start(_temp.Path, ["--data-dir", dataDirectory, "--silo-port", "0", "--gateway-port", "0", .. more]);
        await silo.WaitUntilStartedAsync(DateTime.UtcNow + _startTimeout);
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(dataDirectory, "endpoints.json")));
        var web = IPEndPoint.Parse(json.RootElement.GetProperty("web").GetString()!);
        return (silo, $"http://127.0.0.1:{web.Port.ToString(CultureInfo.InvariantCulture)}");
    }

    private async Task<HttpResponseMessage> GetAsync(string url, AuthenticationHeaderValue? authorization = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url) { Headers = { Authorization = authorization } };
        return await _http.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private async Task WaitUntilReadyAsync(string web)
    {
        var deadline = DateTime.UtcNow + _startTimeout;
        while (true)
        {
            using var response = await GetAsync(web + "/health/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"/health/ready still {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task With_a_token_every_request_but_health_needs_it()
    {
        var (silo, web) = await StartAsync("token", "--Orlog:WebToken=s3cret-token");
        await using (silo)
        {
            using (var live = await GetAsync(web + "/health/live"))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }
            await WaitUntilReadyAsync(web);
            foreach (var path in new[] { "/api/brokers", "/api/overview", "/metrics", "/dashboard/", "/", "/topics", "/assets/app.js" })
            {
                using var without = await GetAsync(web + path);
                Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
                Assert.Equal("Bearer", Assert.Single(without.Headers.WwwAuthenticate).Scheme);
                using var wrong = await GetAsync(web + path, new AuthenticationHeaderValue("Bearer", "s3cret-tokem"));
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                using var right = await GetAsync(web + path, new AuthenticationHeaderValue("Bearer", "s3cret-token"));
                Assert.True(right.StatusCode == HttpStatusCode.OK, $"{path}: {(int)right.StatusCode}");
            }
            using var brokers = await GetAsync(web + "/api/brokers", new AuthenticationHeaderValue("Bearer", "s3cret-token"));
            using var json = JsonDocument.Parse(await brokers.Content.ReadAsStringAsync());
            Assert.Equal(0, Assert.Single(json.RootElement.EnumerateArray()).GetProperty("id").GetInt32());
        }
    }

    [Fact]
    public async Task Basic_authentication_is_asked_of_a_browser_and_checked()
    {
        var (silo, web) = await StartAsync("basic", "--Orlog:WebUser=admin", "--Orlog:WebPassword=pa:ss word");
        await using (silo)
        {
            using var without = await GetAsync(web + "/");
            Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
            Assert.Equal("Basic", Assert.Single(without.Headers.WwwAuthenticate).Scheme);
            using var wrong = await GetAsync(web + "/", Basic("admin", "pa:ss worc"));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            using var right = await GetAsync(web + "/", Basic("admin", "pa:ss word"));
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
            Assert.Contains("<title>Orlog</title>", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Beyond_loopback_it_serves_with_credentials_or_when_told_it_is_insecure()
    {
        var (insecure, web) = await StartAsync("insecure", "--web-address", "0.0.0.0", "--web-insecure");
        await using (insecure)
        {
            Assert.Contains("web http://0.0.0.0:", insecure.Output, StringComparison.Ordinal);
            using var response = await GetAsync(web + "/api/overview");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var (secured, securedWeb) = await StartAsync("secured", "--web-address", "0.0.0.0", "--Orlog:WebToken=t");
        await using (secured)
        {
            using var response = await GetAsync(securedWeb + "/api/overview");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Nothing_on_the_web_surface_changes_data()
    {
        var (silo, web) = await StartAsync("read-only");
        await using (silo)
        {
            foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
            {
                foreach (var path in new[] { "/api/topics", "/api/topics/orders", "/api/groups/g", "/api/brokers", "/dashboard/Reminders", "/dashboard/DashboardCounters", "/metrics", "/health/ready", "/" })
                {
                    using var response = await GetAsync(web + path, method: method);
                    Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)response.StatusCode}");
                }
            }
            using var unknown = await GetAsync(web + "/api/topics/no-such-topic");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            using var error = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
            Assert.Equal("UNKNOWN_TOPIC_OR_PARTITION", error.RootElement.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task The_web_port_is_held_a_second_silo_asking_for_it_is_refused_naming_it()
    {
        var (silo, web) = await StartAsync("first");
        await using (silo)
        {
            var port = new Uri(web).Port;
            await using var second = SiloProcess.Start(_temp.Path, ["--data-dir", _temp.Combine("second"), "--silo-port", "0", "--gateway-port", "0", "--web-port", port.ToString(CultureInfo.InvariantCulture)]);
            var exit = await second.WaitForExitAsync(_exitTimeout);
            Assert.True(exit == StartupFailure.Failed, $"exit code {exit}\n{second.Describe()}");
            Assert.Contains($"the web port {port} (Orlog:WebPort) on 127.0.0.1 is in use by another process", second.Error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(_temp.Combine("second")), "a silo refused for its port must not touch its data directory");
        }
    }
}
