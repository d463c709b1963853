using YamlDotNet.Core;

namespace Orlog.Deploy.Tests;

public sealed class YamlFilesTests
{
    [Fact]
    public void Every_YAML_file_under_deploy_parses_and_holds_a_mapping_in_each_document()
    {
        var files = DeployFiles.YamlFiles();
        // compose.yaml and the three Kubernetes manifests at least: a glob that finds nothing must not pass.
        Assert.True(files.Length >= 4, $"found only {string.Join(", ", files)}");
        foreach (var file in files)
        {
            IReadOnlyList<YamlDotNet.RepresentationModel.YamlDocument> documents;
            try
            {
                documents = Yaml.LoadAll(file);
            }
            catch (YamlException e)
            {
                throw new Xunit.Sdk.XunitException($"{file} does not parse: {e.Message}");
            }
            Assert.NotEmpty(documents);
            Assert.All(documents, document => Assert.IsType<YamlDotNet.RepresentationModel.YamlMappingNode>(document.RootNode));
        }
    }

    [Fact]
    public void A_broken_file_would_be_caught()
    {
        // The check above relies on YamlDotNet refusing bad YAML; make sure it does for a typical slip.
        var path = Path.Combine(Path.GetTempPath(), $"orlog-deploy-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "services:\n  broker:\n    image: x\n   ports: [\"1:2\"]\n");
        try
        {
            Assert.ThrowsAny<YamlException>(() => Yaml.LoadAll(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
