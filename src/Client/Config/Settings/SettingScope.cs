namespace Orlog.Client;

/// <summary>Which clients take a setting.</summary>
[Flags]
internal enum SettingScope
{
    Producer = 1,
    Consumer = 2,
    Admin = 4,
    Common = Producer | Consumer | Admin,
}
