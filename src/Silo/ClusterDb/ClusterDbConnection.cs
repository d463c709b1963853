using System.Globalization;
using Npgsql;

namespace Orlog.Silo.ClusterDb;

/// <summary>The cluster database's connection string, read without ever showing its password.</summary>
public static class ClusterDbConnection
{
    /// <summary>The ADO.NET invariant under which Orleans' providers load Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>What is wrong with <paramref name="connectionString"/>, or null when Npgsql accepts it and it names a host.</summary>
    public static string? Check(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "names no Host (e.g. Host=127.0.0.1;Port=5432;Database=orlog;Username=orlog)." : null;
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword, never a value.
            return "is not an Npgsql connection string: " + e.Message;
        }
    }

    /// <summary>"host H, port P, database D, user U": where the silo connects, for messages and logs.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture,
            $"host {builder.Host}, port {builder.Port}, database {builder.Database ?? builder.Username ?? "(default)"}, user {builder.Username ?? "(default)"}");
    }
}
