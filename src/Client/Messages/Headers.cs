using System.Collections;

namespace Orlog.Client;

/// <summary>A record's headers, in order; a key may repeat.</summary>
public sealed class Headers : IReadOnlyList<Header>
{
    private readonly List<Header> _headers = [];

    /// <inheritdoc/>
    public int Count => _headers.Count;

    /// <inheritdoc/>
    public Header this[int index] => _headers[index];

    /// <summary>Adds a header.</summary>
    public void Add(string key, byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        _headers.Add(new Header(key, value));
    }

    /// <summary>Adds a header.</summary>
    public void Add(Header header)
    {
        ArgumentNullException.ThrowIfNull(header);
        _headers.Add(header);
    }

    /// <summary>The value of the last header with <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">No header has that key.</exception>
    public byte[]? GetLastBytes(string key) =>
        TryGetLastBytes(key, out var value) ? value : throw new KeyNotFoundException($"No header has the key '{key}'.");

    /// <summary>The value of the last header with <paramref name="key"/>, if any.</summary>
    public bool TryGetLastBytes(string key, out byte[]? value)
    {
        for (var i = _headers.Count - 1; i >= 0; i--)
        {
            if (_headers[i].Key == key)
            {
                value = _headers[i].Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>Removes every header with <paramref name="key"/>.</summary>
    public void Remove(string key) => _headers.RemoveAll(h => h.Key == key);

    /// <inheritdoc/>
    public IEnumerator<Header> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
