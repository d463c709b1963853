namespace Orlog.Client;

/// <summary>A record header: a string key and a value (bytes, or null).</summary>
/// <param name="Key">The header's key (UTF-8 on the wire).</param>
/// <param name="Value">The header's value, or null.</param>
public sealed record Header(string Key, byte[]? Value);
