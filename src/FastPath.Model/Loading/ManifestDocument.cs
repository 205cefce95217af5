using FastPath.Model.Diagnostics;

namespace FastPath.Model.Loading;

/// <summary>One Kubernetes object found in a manifest file, before it is read by its kind's reader.</summary>
internal sealed record ManifestDocument(string ApiVersion, string Kind, YNode Root)
{
    public SourceLocation Location => Root.Location;
}
