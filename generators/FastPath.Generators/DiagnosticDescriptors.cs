using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace FastPath.Generators;

/// <summary>
/// Every diagnostic the generator reports, created once, each with a row in AnalyzerReleases.Unshipped.md (the
/// release-tracking analyzer checks the rows against the constant IDs here). FP0100–FP0104 are the generator's own
/// (the attribute and its files). FP0001–FP0099 are the shared model's (<c>FastPath.Model.Diagnostics.Descriptors</c>:
/// manifests, validation, Corefile), reported with their own IDs and located in the AdditionalFile; the model, which
/// must not reference Roslyn, keeps their message formats, and a test holds the two lists to the same IDs, titles
/// and severities. Model messages arrive formatted, so their descriptors take the whole message as one argument.
/// </summary>
public static class DiagnosticDescriptors
{
    public const string Category = "FastPath";

    // The shared model's diagnostics (FastPath.Model.Diagnostics.Descriptors), in ID order.
    public static readonly DiagnosticDescriptor YamlSyntax = new("FP0001", "YAML syntax error", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor NotAnObject = new("FP0002", "Not a Kubernetes object", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor UnknownKind = new("FP0003", "Unknown kind", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor MissingField = new("FP0004", "Required field missing", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor WrongType = new("FP0005", "Field has the wrong type", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor InvalidName = new("FP0006", "Invalid name", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Duplicate = new("FP0007", "Duplicate object", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor InputNotFound = new("FP0008", "Input not found", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor NoManifestFiles = new("FP0009", "No manifests", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor InvalidEnum = new("FP0010", "Unsupported value", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor DuplicatePort = new("FP0011", "Duplicate port", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor PortRange = new("FP0012", "Port out of range", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor PortNameRequired = new("FP0013", "Port name required", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor InvalidIp = new("FP0014", "Invalid IP address", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor ClusterIpShared = new("FP0015", "clusterIP shared", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor ClusterIpOutsideCidr = new("FP0016", "clusterIP outside the service CIDR", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor ExternalNameInvalid = new("FP0017", "Invalid externalName", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor ExternalNameField = new("FP0018", "Field not allowed on ExternalName", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor AffinityTimeout = new("FP0019", "Affinity timeout out of range", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor NodePortRange = new("FP0020", "nodePort out of range", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor NodePortTaken = new("FP0021", "nodePort taken twice", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor NodePortNotAllowed = new("FP0022", "nodePort not allowed", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor LowerCaseProtocol = new("FP0023", "Protocol spelled in lower case", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor IpFamilyMismatch = new("FP0024", "IP family mismatch", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor AffinityConfigWithoutClientIp = new("FP0025", "sessionAffinityConfig without ClientIP", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor HeadlessWithPolicy = new("FP0026", "Ignored field", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor BadAnnotation = new("FP0027", "Invalid FastPath annotation", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor SliceWithoutService = new("FP0030", "EndpointSlice without Service", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor SliceWithoutLabel = new("FP0031", "EndpointSlice without service label", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor EndpointAddressFamily = new("FP0032", "Endpoint address family", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor EndpointNoAddress = new("FP0033", "Endpoint without address", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor EndpointsAndSlices = new("FP0034", "Endpoints and EndpointSlices", "{0}", Category, DiagnosticSeverity.Info, true);
    public static readonly DiagnosticDescriptor PodIpMismatch = new("FP0040", "podIP mismatch", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor PodDnsConfig = new("FP0041", "Invalid spec.dnsConfig", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor ConfigMapWithoutCorefile = new("FP0050", "coredns ConfigMap without Corefile", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor CorefileSyntax = new("FP0051", "Corefile syntax error", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor UnknownPlugin = new("FP0052", "Unknown Corefile plugin", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor PluginOption = new("FP0053", "Invalid plugin option", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor UnsetEnvironment = new("FP0054", "Environment variable not set", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor NoKubernetesBlock = new("FP0055", "No kubernetes plugin", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor ServiceCidr = new("FP0056", "Invalid service CIDR", "{0}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor InvalidValue = new("FP0057", "Invalid value", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor RequiredValue = new("FP0058", "Required value", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor TooLong = new("FP0059", "Too long", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor Forbidden = new("FP0060", "Forbidden", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor DuplicateValue = new("FP0061", "Duplicate value", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor InputLimit = new("FP0062", "Input over a limit", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor InputEncoding = new("FP0063", "Not UTF-8 text", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor DuplicateKey = new("FP0064", "Duplicate key", "{0}", Category, DiagnosticSeverity.Error, true);
    public static readonly DiagnosticDescriptor PluginOptionNotHonoured = new("FP0065", "Plugin option not honoured", "{0}", Category, DiagnosticSeverity.Warning, true);
    public static readonly DiagnosticDescriptor ApiServerWouldRefuse = new("FP0066", "The API server would refuse this", "{0}", Category, DiagnosticSeverity.Warning, true);

    // The generator's own.
    public static readonly DiagnosticDescriptor NotStaticPartial = new("FP0100", "Cluster class must be static partial",
        "The class '{0}' marked [FastPathCluster] must be declared 'static partial'", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor NoManifests = new("FP0101", "No manifests",
        "No AdditionalFiles under '{0}': add <AdditionalFiles Include=\"{0}/**\" /> to the project", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor CorefileNotFound = new("FP0102", "Corefile not found",
        "The Corefile '{0}' is not among the AdditionalFiles: add <AdditionalFiles Include=\"{0}\" />", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor BadAttribute = new("FP0104", "Invalid attribute argument",
        "[FastPathCluster]: {0}", Category, DiagnosticSeverity.Error, true);

    private static readonly DiagnosticDescriptor[] GeneratorOwn = [NotStaticPartial, NoManifests, CorefileNotFound, BadAttribute];

    private static readonly DiagnosticDescriptor[] ModelOwn =
    [
        YamlSyntax,
        NotAnObject,
        UnknownKind,
        MissingField,
        WrongType,
        InvalidName,
        Duplicate,
        InputNotFound,
        NoManifestFiles,
        InvalidEnum,
        DuplicatePort,
        PortRange,
        PortNameRequired,
        InvalidIp,
        ClusterIpShared,
        ClusterIpOutsideCidr,
        ExternalNameInvalid,
        ExternalNameField,
        AffinityTimeout,
        NodePortRange,
        NodePortTaken,
        NodePortNotAllowed,
        LowerCaseProtocol,
        IpFamilyMismatch,
        AffinityConfigWithoutClientIp,
        HeadlessWithPolicy,
        BadAnnotation,
        SliceWithoutService,
        SliceWithoutLabel,
        EndpointAddressFamily,
        EndpointNoAddress,
        EndpointsAndSlices,
        PodIpMismatch,
        PodDnsConfig,
        ConfigMapWithoutCorefile,
        CorefileSyntax,
        UnknownPlugin,
        PluginOption,
        UnsetEnvironment,
        NoKubernetesBlock,
        ServiceCidr,
        InvalidValue,
        RequiredValue,
        TooLong,
        Forbidden,
        DuplicateValue,
        InputLimit,
        InputEncoding,
        DuplicateKey,
        PluginOptionNotHonoured,
        ApiServerWouldRefuse,
    ];

    /// <summary>The shared model's diagnostics, as reported (message "{0}").</summary>
    public static IReadOnlyList<DiagnosticDescriptor> ModelDescriptors => ModelOwn;

    /// <summary>The generator's own descriptors, with their message formats.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> Generator => GeneratorOwn;

    /// <summary>
    /// By ID, the descriptor a diagnostic is reported with: model IDs as they are, the generator's own with "{0}"
    /// (their messages are formatted when the pipeline records them).
    /// </summary>
    public static IReadOnlyDictionary<string, DiagnosticDescriptor> ById { get; } = BuildById();

    private static Dictionary<string, DiagnosticDescriptor> BuildById()
    {
        var byId = new Dictionary<string, DiagnosticDescriptor>(System.StringComparer.Ordinal);
        foreach (var m in ModelOwn) byId.Add(m.Id, m);
        foreach (var g in GeneratorOwn)
            byId.Add(g.Id, new DiagnosticDescriptor(g.Id, g.Title, "{0}", Category, g.DefaultSeverity, true));
        return byId;
    }

    /// <summary>
    /// The descriptor to report <paramref name="d"/> with. Every ID the model or the generator defines is in
    /// <see cref="ById"/>; an ID outside both would be a FastPath bug, reported rather than crashing the build.
    /// </summary>
    public static DiagnosticDescriptor For(DiagnosticInfo d) =>
        ById.TryGetValue(d.Id, out var descriptor) ? descriptor
            : new DiagnosticDescriptor(d.Id, "FastPath diagnostic", "{0}", Category, d.Severity, true);

    public static DiagnosticSeverity ToRoslyn(FastPath.Model.Diagnostics.DiagnosticSeverity severity) => severity switch
    {
        FastPath.Model.Diagnostics.DiagnosticSeverity.Error => DiagnosticSeverity.Error,
        FastPath.Model.Diagnostics.DiagnosticSeverity.Warning => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Info,
    };
}
