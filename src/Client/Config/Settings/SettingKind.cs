namespace Orlog.Client;

/// <summary>The type of a setting's value.</summary>
internal enum SettingKind
{
    Int,
    Long,
    Double,
    Bool,
    Choice,
    Text,
    List,
    Password,
}
