using System.Text.RegularExpressions;

namespace Orlog.Client;

/// <summary>
/// What a consumer subscribes to: topic names, or, when any entry starts with '^' (Confluent's convention), one
/// regular expression made of every pattern and every name given, which the group matches against whole topic names.
/// </summary>
internal sealed class TopicSubscription
{
    private TopicSubscription(IReadOnlyList<string> given, IReadOnlyList<string> names, string? regex)
    {
        Given = given;
        Names = names;
        Regex = regex;
    }

    /// <summary>The entries as the application gave them.</summary>
    public IReadOnlyList<string> Given { get; }

    /// <summary>The topic names (empty with a regular expression).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The regular expression (.NET syntax), or null for names only.</summary>
    public string? Regex { get; }

    /// <exception cref="ArgumentException">No entry, an empty entry, or a regular expression that does not parse.</exception>
    public static TopicSubscription Parse(IEnumerable<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var given = new List<string>();
        foreach (var topic in topics)
        {
            if (string.IsNullOrWhiteSpace(topic))
            {
                throw new ArgumentException("A subscribed topic name must not be empty.", nameof(topics));
            }
            if (!given.Contains(topic))
            {
                given.Add(topic);
            }
        }
        if (given.Count == 0)
        {
            throw new ArgumentException("Subscribe needs at least one topic; call Unsubscribe to stop reading.", nameof(topics));
        }
        if (!given.Exists(t => t.StartsWith('^')))
        {
            return new TopicSubscription(given, given, null);
        }
        var parts = given.ConvertAll(t => t.StartsWith('^') ? t : $"^{System.Text.RegularExpressions.Regex.Escape(t)}$");
        var regex = parts.Count == 1 ? parts[0] : string.Join('|', parts.ConvertAll(p => $"(?:{p})"));
        try
        {
            _ = new Regex(regex, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"The subscription's regular expression '{regex}' does not parse: {error.Message}", nameof(topics), error);
        }
        return new TopicSubscription(given, [], regex);
    }
}
