using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Orlog.Silo.Web;

/// <summary>
/// Checks every request but the health endpoints against the configured credentials: a bearer token
/// (<c>Authorization: Bearer TOKEN</c>) or basic authentication (what a browser asks for). Without credentials
/// configured (loopback, or <c>--web-insecure</c>) every request passes. A refusal is 401 with a basic challenge.
/// </summary>
internal sealed class WebCredentials(IOptions<WebOptions> options) : IMiddleware
{
    private readonly byte[]? _token = Bytes(options.Value.WebToken);
    private readonly byte[]? _basic = string.IsNullOrEmpty(options.Value.WebUser) || string.IsNullOrEmpty(options.Value.WebPassword)
        ? null
        : Bytes($"{options.Value.WebUser}:{options.Value.WebPassword}");

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if ((_token is null && _basic is null) || context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal) || Accepted(context.Request))
        {
            return next(context);
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (_basic is not null)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Orlog\", charset=\"UTF-8\"";
        }
        else
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"Orlog\"";
        }
        return context.Response.WriteAsync("Credentials required: a bearer token (Orlog:WebToken) or basic authentication (Orlog:WebUser, Orlog:WebPassword).\n");
    }

    private bool Accepted(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) || header.Parameter is null)
        {
            return false;
        }
        if (_token is not null && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return CryptographicOperations.FixedTimeEquals(Bytes(header.Parameter), _token);
        }
        if (_basic is not null && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            Span<byte> decoded = stackalloc byte[512];
            return Convert.TryFromBase64String(header.Parameter, decoded, out var length) && CryptographicOperations.FixedTimeEquals(decoded[..length], _basic);
        }
        return false;
    }

    private static byte[]? Bytes(string? text) => string.IsNullOrEmpty(text) ? null : Encoding.UTF8.GetBytes(text);
}
