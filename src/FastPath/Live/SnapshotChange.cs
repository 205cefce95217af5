using System.Collections.Generic;

namespace FastPath.Live;

/// <summary>What a new snapshot changed: Services by "namespace/name", and whether the whole state was replaced.</summary>
public sealed record SnapshotChange(IReadOnlyList<string> Services, bool Full)
{
    /// <summary>A full replacement (first sync, relist, Corefile change): every Service may have changed.</summary>
    public static SnapshotChange Everything { get; } = new([], true);
}
