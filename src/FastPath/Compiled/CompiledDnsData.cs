using System;
using System.Collections.Generic;
using FastPath.Model;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Planning;
using FastPath.Model.Tables;

namespace FastPath.Compiled;

/// <summary>Something matched by zone: its lower-case wire name.</summary>
public interface IWireZone
{
    byte[] Wire { get; }
}

/// <summary>A kubernetes zone: its lower-case wire name and the SOA fields negative answers carry.</summary>
public sealed record CompiledZone(byte[] Wire, uint SoaTtl, uint Serial, uint Minimum, bool IsReverse) : IWireZone;

/// <summary>A server block's zone: what happens to names under it that no compiled table answers.</summary>
public sealed record CompiledRoute(byte[] Wire, RouteKind Kind, IReadOnlyList<string> Upstreams, byte[] ForwardFrom, IReadOnlyList<byte[]> Except,
    bool LoadBalance, bool Kubernetes) : IWireZone;

/// <summary>The tables generated code hands to <see cref="CompiledDns"/> (see <see cref="CompiledLayout"/> for their layout).</summary>
public sealed class CompiledDnsData
{
    public required byte[] Keys { get; init; }
    public required byte[] Sets { get; init; }
    public required byte[] Answers { get; init; }
    public required byte[] AnswerData { get; init; }
    public required byte[] RecordOffsets { get; init; }
    public required byte[] Fixups { get; init; }
    public required byte[] DottedKeys { get; init; }
    // The index tables, flat as generated code embeds them (the engine reads them in place), or chunked (Index) when a
    // live snapshot hands them over.
    public byte[] Entries { get; init; } = [];
    public byte[] Displacements { get; init; } = [];
    public byte[] Slots { get; init; } = [];
    public byte[] DottedDisplacements { get; init; } = [];
    public byte[] DottedSlots { get; init; } = [];
    /// <summary>The index tables in chunks (<see cref="SegmentedIndex"/>); when set, the flat ones above are not read.</summary>
    internal SegmentedIndex? Index { get; init; }
    public required IReadOnlyList<CompiledZone> Zones { get; init; }
    public required IReadOnlyList<CompiledRoute> Routes { get; init; }
    public required IReadOnlyList<byte[]> Fallthrough { get; init; }
    public required PodMode PodMode { get; init; }
    /// <summary>rewrite, autopath and hosts, compiled; null when no server block uses them.</summary>
    public Plugins.CompiledPlugins? Plugins { get; init; }
}
