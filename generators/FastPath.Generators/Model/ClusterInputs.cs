namespace FastPath.Generators;

/// <summary>A declaration with the files under its folder: what one cluster's generation depends on.</summary>
public sealed record ClusterInputs(ClusterDeclaration Declaration, EquatableArray<SourceFile> Files);
