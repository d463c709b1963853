using Orlog.Silo;
using YamlDotNet.RepresentationModel;

namespace Orlog.Deploy.Tests;

/// <summary>deploy/kubernetes, checked by reading the manifests (no Kubernetes here: nothing is applied).</summary>
public sealed class KubernetesManifestTests
{
    private readonly KubernetesManifests _manifests = KubernetesManifests.Load();

    private static Dictionary<string, string> ImageEnvironment
    {
        get
        {
            var dockerfile = Dockerfile.Load(DeployFiles.Dockerfile);
            return dockerfile.Environment(dockerfile.FinalStage);
        }
    }

    [Fact]
    public void Every_document_has_apiVersion_kind_and_a_name_and_names_are_unique_per_kind()
    {
        Assert.Equal(["PodDisruptionBudget", "Secret", "Secret", "Service", "Service", "StatefulSet"], _manifests.Documents.Select(document => document.Document.Text("kind")!).Order());
        foreach (var (file, document) in _manifests.Documents)
        {
            Assert.False(string.IsNullOrEmpty(document.Text("apiVersion")), $"{file}: a document without apiVersion");
            Assert.False(string.IsNullOrEmpty(document.Text("metadata", "name")), $"{file}: a {document.Text("kind")} without metadata.name");
        }
        Assert.Equal(
            _manifests.Documents.Count,
            _manifests.Documents.Select(document => (document.Document.Text("kind"), document.Document.Text("metadata", "name"))).Distinct().Count());
    }

    [Fact]
    public void The_StatefulSet_serviceName_is_the_headless_service_and_every_selector_picks_the_broker_pods()
    {
        var statefulSet = _manifests.StatefulSet;
        var podLabels = KubernetesManifests.Labels(statefulSet.At("spec", "template", "metadata", "labels"));
        var headless = _manifests.OfKind("Service").SingleOrDefault(service => service.Text("metadata", "name") == statefulSet.Text("spec", "serviceName"));

        Assert.NotNull(headless);
        Assert.Equal("None", headless.Text("spec", "clusterIP"));
        Assert.Subset(podLabels.ToHashSet(), KubernetesManifests.Labels(statefulSet.At("spec", "selector", "matchLabels")).ToHashSet());
        foreach (var selected in _manifests.OfKind("Service").Select(service => service.At("spec", "selector")).Concat(_manifests.OfKind("PodDisruptionBudget").Select(budget => budget.At("spec", "selector", "matchLabels"))))
        {
            var selector = KubernetesManifests.Labels(selected);
            Assert.NotEmpty(selector);
            Assert.Subset(podLabels.ToHashSet(), selector.ToHashSet());
        }
    }

    [Fact]
    public void The_services_target_the_container_ports_and_the_client_service_resolves_to_the_ready_brokers_gateways()
    {
        var container = _manifests.BrokerContainer;
        foreach (var service in _manifests.OfKind("Service"))
        {
            foreach (var port in service.Items("spec", "ports"))
            {
                KubernetesManifests.ContainerPort(container, port.Text("targetPort") ?? port.Text("port")!);
            }
        }
        var client = Assert.Single(_manifests.OfKind("Service"), service => service.Text("metadata", "name") != _manifests.StatefulSet.Text("spec", "serviceName"));
        // Headless: its name resolves to the pods' own addresses. Through a virtual IP an Orleans client
        // cannot connect: the gateway takes the address the client used for another silo's (docs/deploy.md).
        Assert.Equal("None", client.Text("spec", "clusterIP"));
        Assert.NotEqual("true", client.Text("spec", "publishNotReadyAddresses"));
        // Orleans clients bootstrap from its gateway port, Kafka clients from its Kafka port.
        var ports = client.Items("spec", "ports").ToDictionary(port => port.Text("name")!, port => KubernetesManifests.ContainerPort(container, port.Text("targetPort")!).Text("containerPort"));
        Assert.Equal(new Dictionary<string, string?> { ["gateway"] = ImageEnvironment["Orlog__GatewayPort"], ["kafka"] = ImageEnvironment["Orlog__KafkaPort"] }, ports);
    }

    [Fact]
    public void The_container_ports_are_the_image_ports_and_the_probes_ask_the_health_endpoints_on_the_web_port()
    {
        var container = _manifests.BrokerContainer;
        var image = ImageEnvironment;

        Assert.Equal(image["Orlog__SiloPort"], KubernetesManifests.ContainerPort(container, "silo").Text("containerPort"));
        Assert.Equal(image["Orlog__GatewayPort"], KubernetesManifests.ContainerPort(container, "gateway").Text("containerPort"));
        Assert.Equal(image["Orlog__KafkaPort"], KubernetesManifests.ContainerPort(container, "kafka").Text("containerPort"));
        Assert.Equal(image["Orlog__WebPort"], KubernetesManifests.ContainerPort(container, "web").Text("containerPort"));
        Assert.NotNull(container.At("readinessProbe"));
        Assert.NotNull(container.At("livenessProbe"));
        var paths = new Dictionary<string, string> { ["startupProbe"] = "/health/live", ["readinessProbe"] = "/health/ready", ["livenessProbe"] = "/health/live" };
        foreach (var probe in paths.Keys.Where(probe => container.At(probe) is not null))
        {
            var port = container.Text(probe, "httpGet", "port");
            Assert.True(port is not null, $"{probe} is not an HTTP probe");
            Assert.Equal(paths[probe], container.Text(probe, "httpGet", "path"));
            Assert.Equal(image["Orlog__WebPort"], KubernetesManifests.ContainerPort(container, port).Text("containerPort"));
        }
        // The probes reach the pod's address: the web surface listens beyond loopback, so it has its token.
        var environment = container.Items("env").Select(variable => variable.Text("name")).ToHashSet();
        Assert.Contains("Orlog__WebAddress", environment);
        Assert.Contains("Orlog__WebToken", environment);
    }

    [Fact]
    public void The_liveness_probe_is_more_patient_than_readiness()
    {
        var container = _manifests.BrokerContainer;
        static int Patience(YamlNode probe) =>
            int.Parse(probe.Text("periodSeconds") ?? "10", System.Globalization.CultureInfo.InvariantCulture) * int.Parse(probe.Text("failureThreshold") ?? "3", System.Globalization.CultureInfo.InvariantCulture);

        // A broker that is only slow must not be restarted: liveness gives at least a minute.
        Assert.True(Patience(container.At("livenessProbe")!) >= 60);
        Assert.True(Patience(container.At("livenessProbe")!) > Patience(container.At("readinessProbe")!));
    }

    [Fact]
    public void Pods_get_more_time_to_stop_than_the_silo_shutdown_timeout()
    {
        var grace = int.Parse(_manifests.StatefulSet.Text("spec", "template", "spec", "terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(TimeSpan.FromSeconds(grace) > OrlogSilo.ShutdownTimeout, $"terminationGracePeriodSeconds {grace} is not longer than the silo's {OrlogSilo.ShutdownTimeout.TotalSeconds} s");
    }

    [Fact]
    public void Each_broker_has_its_own_volume_claim_mounted_on_the_image_data_directory_writable_by_the_image_user()
    {
        var statefulSet = _manifests.StatefulSet;
        var claim = Assert.Single(statefulSet.Items("spec", "volumeClaimTemplates"));
        var mount = _manifests.BrokerContainer.Items("volumeMounts").Single(mount => mount.Text("name") == claim.Text("metadata", "name"));

        Assert.Equal(ImageEnvironment["Orlog__DataDirectory"], mount.Text("mountPath"));
        Assert.Equal("ReadWriteOnce", ((YamlScalarNode)Assert.Single(claim.Items("spec", "accessModes"))).Value);
        var security = statefulSet.At("spec", "template", "spec", "securityContext")!;
        Assert.Equal("true", security.Text("runAsNonRoot"));
        Assert.NotEqual("0", security.Text("runAsUser"));
        Assert.Equal(security.Text("runAsGroup"), security.Text("fsGroup"));
    }

    [Fact]
    public void The_web_token_comes_from_the_example_secret()
    {
        var reference = _manifests.BrokerContainer.Items("env").Single(variable => variable.Text("name") == "Orlog__WebToken").At("valueFrom", "secretKeyRef")!;
        var secret = Assert.Single(_manifests.OfKind("Secret"), secret => secret.Text("metadata", "name") == reference.Text("name"));
        Assert.False(string.IsNullOrEmpty(secret.Text("stringData", reference.Text("key")!)));
    }

    [Fact]
    public void The_cluster_database_comes_from_the_example_secret()
    {
        var reference = _manifests.BrokerContainer.Items("env").Single(variable => variable.Text("name") == "Orlog__ClusterDb").At("valueFrom", "secretKeyRef")!;
        var secret = Assert.Single(_manifests.OfKind("Secret"), secret => secret.Text("metadata", "name") == reference.Text("name"));

        var connectionString = secret.Text("stringData", reference.Text("key")!);
        Assert.NotNull(connectionString);
        Assert.False(string.IsNullOrEmpty(new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Host));
    }
}
