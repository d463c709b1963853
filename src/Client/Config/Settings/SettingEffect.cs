namespace Orlog.Client;

/// <summary>What Orlog does with a setting Kafka's clients know.</summary>
internal enum SettingEffect
{
    /// <summary>Orlog applies it.</summary>
    Applied,

    /// <summary>Accepted and checked, with no effect in Orlog; said once, at Info, when a client starts.</summary>
    NoEffect,

    /// <summary>Refused with the reason and what to do instead (a feature Orlog does not have yet).</summary>
    Refused,
}
