using Microsoft.CodeAnalysis;

namespace FastPath.Generators;

/// <summary>
/// The generator's own diagnostics. Manifest and Corefile diagnostics (FP0001–FP0056) come from the shared model and
/// are reported with their own IDs, located in the AdditionalFile.
/// </summary>
public static class GeneratorDiagnostics
{
    public const string Category = "FastPath";

    public static readonly DiagnosticDescriptor NotStaticPartial = new("FP0100", "Cluster class must be static partial",
        "The class '{0}' marked [FastPathCluster] must be declared 'static partial'", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor NoManifests = new("FP0101", "No manifests",
        "No AdditionalFiles under '{0}': add <AdditionalFiles Include=\"{0}/**\" /> to the project", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor CorefileNotFound = new("FP0102", "Corefile not found",
        "The Corefile '{0}' is not among the AdditionalFiles: add <AdditionalFiles Include=\"{0}\" />", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor LimitedGeneration = new("FP0103", "Limited generation",
        "{0} is not compiled: the reference interpreter answers that server block's DNS queries", Category, DiagnosticSeverity.Info, true);

    public static readonly DiagnosticDescriptor BadAttribute = new("FP0104", "Invalid attribute argument",
        "[FastPathCluster]: {0}", Category, DiagnosticSeverity.Error, true);

    /// <summary>A descriptor for a model diagnostic (its ID, severity and message come with it).</summary>
    public static DiagnosticDescriptor ForModel(string id, DiagnosticSeverity severity) =>
        new(id, "FastPath manifest diagnostic", "{0}", Category, severity, true);
}
