namespace Orlog.Testing;

/// <summary>How a send ended, as far as its producer knows.</summary>
internal enum SendOutcome
{
    /// <summary>No answer recorded: the run ended first. Judged as unknown.</summary>
    None,
    Acknowledged,
    Refused,
    Unknown,
}
