using YamlDotNet.RepresentationModel;

namespace Orlog.Deploy.Tests;

/// <summary>YAML files as YamlDotNet's representation model, and short ways to walk it in assertions.</summary>
internal static class Yaml
{
    /// <summary>Every document of a file (a Kubernetes manifest may hold several, separated by ---).</summary>
    public static IReadOnlyList<YamlDocument> LoadAll(string path)
    {
        using var reader = File.OpenText(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return [.. stream.Documents];
    }

    /// <summary>The root mapping of a file holding one document.</summary>
    public static YamlMappingNode LoadMapping(string path)
    {
        var documents = LoadAll(path);
        Assert.True(documents.Count == 1, $"{path} holds {documents.Count} documents, expected one");
        return Assert.IsType<YamlMappingNode>(documents[0].RootNode);
    }

    /// <summary>The node at a path of mapping keys, or null where one is missing.</summary>
    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }
            current = child;
        }
        return current;
    }

    /// <summary>The scalar at a path, or null.</summary>
    public static string? Text(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    /// <summary>The mapping at a path; fails the test when it is missing or not a mapping.</summary>
    public static YamlMappingNode Mapping(this YamlNode node, params string[] path) =>
        node.At(path) as YamlMappingNode ?? throw new Xunit.Sdk.XunitException($"no mapping at {string.Join('.', path)}");

    /// <summary>The sequence at a path, or an empty one.</summary>
    public static IReadOnlyList<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.At(path) is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    /// <summary>The keys of a mapping, as text.</summary>
    public static IEnumerable<string> Keys(this YamlMappingNode mapping) => mapping.Children.Keys.Select(key => ((YamlScalarNode)key).Value!);
}
