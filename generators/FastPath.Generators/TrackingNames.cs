namespace FastPath.Generators;

/// <summary>Names of the pipeline's steps, for the incrementality tests.</summary>
public static class TrackingNames
{
    public const string Declarations = nameof(Declarations);
    public const string ProjectDirectory = nameof(ProjectDirectory);
    public const string Files = nameof(Files);
    public const string ParsedFiles = nameof(ParsedFiles);
    public const string ClusterInputs = nameof(ClusterInputs);
    public const string Clusters = nameof(Clusters);
}
