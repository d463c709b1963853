namespace Orlog.Client;

/// <summary>Which clients a setting belongs to.</summary>
internal enum ConfigRole
{
    Common,
    Producer,
    Consumer,
}
