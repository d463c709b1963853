using YamlDotNet.RepresentationModel;

namespace Orlog.Deploy.Tests;

/// <summary>Every document of every manifest under deploy/kubernetes, with ways to find them by kind.</summary>
internal sealed class KubernetesManifests
{
    private KubernetesManifests(List<(string File, YamlMappingNode Document)> documents) => Documents = documents;

    public IReadOnlyList<(string File, YamlMappingNode Document)> Documents { get; }

    public static KubernetesManifests Load()
    {
        var documents = new List<(string, YamlMappingNode)>();
        foreach (var file in Directory.EnumerateFiles(DeployFiles.Kubernetes, "*.yaml").Order(StringComparer.Ordinal))
        {
            foreach (var document in Yaml.LoadAll(file))
            {
                documents.Add((Path.GetFileName(file), Assert.IsType<YamlMappingNode>(document.RootNode)));
            }
        }
        return new KubernetesManifests(documents);
    }

    public IEnumerable<YamlMappingNode> OfKind(string kind) =>
        Documents.Where(document => document.Document.Text("kind") == kind).Select(document => document.Document);

    public YamlMappingNode StatefulSet => Assert.Single(OfKind("StatefulSet"));

    public YamlMappingNode BrokerContainer => (YamlMappingNode)Assert.Single(StatefulSet.Items("spec", "template", "spec", "containers"));

    /// <summary>A container port by name or number, as probes and services may refer to it.</summary>
    public static YamlMappingNode ContainerPort(YamlMappingNode container, string nameOrNumber) =>
        container.Items("ports").Cast<YamlMappingNode>().SingleOrDefault(port => port.Text("name") == nameOrNumber || port.Text("containerPort") == nameOrNumber)
        ?? throw new Xunit.Sdk.XunitException($"the container has no port '{nameOrNumber}'");

    /// <summary>Labels as a dictionary.</summary>
    public static Dictionary<string, string> Labels(YamlNode? mapping) =>
        mapping is YamlMappingNode labels ? labels.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value!) : [];
}
