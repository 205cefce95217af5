namespace FastPath.Generators;

/// <summary>A class marked [FastPathCluster]: where it is and what the attribute says.</summary>
public sealed record ClusterDeclaration(
    string? Namespace, string ClassName, bool IsStaticPartial, string Manifests, string? Corefile, string? ServiceCidr,
    EquatableArray<string> DnsIps, LocationInfo? Location, string HintName);
