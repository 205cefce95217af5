using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Loading;

/// <summary>
/// Reads one EndpointSlice or Endpoints object's text on its own, with the readers <see cref="ClusterLoader"/> uses,
/// but without a Corefile or a cluster to assemble: the live engine's per-change entry point (an EndpointSlice change
/// is the common one, and parsing a Corefile per change cost more than the slice). It answers only the clean case;
/// anything else (errors, several documents, a list, another kind) returns null and the caller loads the text through
/// <see cref="ClusterLoader"/>, which reports it exactly as it always did.
/// </summary>
internal static class EndpointsObjectReader
{
    /// <summary>
    /// The slices the object contributes to a cluster, as the loader resolves them: an EndpointSlice with its
    /// kubernetes.io/service-name label (none without), or the slices an Endpoints mirrors to; null when not clean.
    /// </summary>
    public static IReadOnlyList<EndpointSlice>? Read(ManifestText text, string kind, ManifestLimits limits)
    {
        var parsed = ClusterLoader.Parse(text, limits);
        if (parsed.Documents is not { Count: 1 } documents || parsed.Errors.Count > 0) return null;
        var bag = new DiagnosticBag();
        var root = new YNode(documents[0], text.Path, "", bag);
        if (!root.Node.IsMapping || root.Str("kind") != kind) return null;
        IReadOnlyList<EndpointSlice>? slices = (kind, root.Str("apiVersion")) switch
        {
            ("EndpointSlice", "discovery.k8s.io/v1") => EndpointSliceReader.Read(root) is { } s ? (s.ServiceName is null ? [] : [s]) : null,
            ("Endpoints", "v1") => MetaReader.Read(root) is not null ? EndpointsReader.Read(root) : null,
            _ => null,
        };
        return bag.HasErrors ? null : slices;
    }
}
