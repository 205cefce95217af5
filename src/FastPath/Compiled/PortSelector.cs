using System;
using System.Runtime.CompilerServices;
using FastPath.Runtime;

namespace FastPath.Compiled;

/// <summary>
/// The selector one node's connections to a port use (from a pod there, or from outside through it), with the
/// endpoint each of its choices names: what <see cref="ServicePortHandle.SelectIndex"/> reads per connection, for a
/// caller that keeps it (YARP's policy, per cluster) and maps the choices onto its own list once. Valid while
/// <see cref="IsCurrent"/>: a reconfigured plane (<see cref="CompiledDataPlane.Configure"/>) starts new selectors.
/// </summary>
public sealed class PortSelector
{
    private readonly AffinityState _owner;
    private readonly int[] _eligible;

    internal PortSelector(AffinityState owner, string? node, bool external, int generation, BackendSelector selector, int[] eligible)
    {
        _owner = owner;
        Node = node;
        External = external;
        Generation = generation;
        Selector = selector;
        _eligible = eligible;
    }

    internal string? Node { get; }
    internal bool External { get; }
    internal int Generation { get; }
    internal BackendSelector Selector { get; }

    /// <summary>How many endpoints the selector chooses among.</summary>
    public int Count => _eligible.Length;

    /// <summary>The index in <see cref="ServicePortHandle.Endpoints"/> of choice <paramref name="choice"/>.</summary>
    public int EndpointOf(int choice) => _eligible[choice];

    /// <summary>False once the plane was reconfigured: ask the port again.</summary>
    public bool IsCurrent => Generation == _owner.Generation;

    /// <summary>
    /// The choice for a new connection from <paramref name="client"/> (an index for <see cref="EndpointOf"/>), -1 when
    /// no endpoint is available; <paramref name="sticky"/> when a persistence template chose it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Choose(UInt128 client, out bool sticky) => Selector.Choose(client, out sticky);
}
