namespace Orlog.Records;

/// <summary>Kafka's rules for topic names: 1 to 249 of [a-zA-Z0-9._-], and not "." or "..".</summary>
public static class TopicName
{
    public const int MaxLength = 249;

    /// <summary>Throws INVALID_TOPIC_EXCEPTION saying what is wrong with the name.</summary>
    public static void Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid(name ?? "", "it is empty");
        }
        if (name is "." or "..")
        {
            throw Invalid(name, "'.' and '..' are not allowed");
        }
        if (name.Length > MaxLength)
        {
            throw Invalid(name, $"it is {name.Length} characters long, more than {MaxLength}");
        }
        foreach (var c in name)
        {
            if (!IsLegal(c))
            {
                throw Invalid(name, $"'{c}' is not allowed; use only letters, digits, '.', '_' and '-'");
            }
        }
    }

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!IsLegal(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsLegal(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-';

    private static KafkaException Invalid(string name, string why) =>
        new(ErrorCode.InvalidTopicException, $"Topic name '{name}' is invalid: {why}.");
}
