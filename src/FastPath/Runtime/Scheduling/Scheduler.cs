using System;
using System.Collections.Generic;

namespace FastPath.Runtime.Scheduling;

/// <summary>
/// An IPVS scheduler over a fixed set of destinations (the endpoints one virtual service may use). A weight of 0
/// quiesces a destination: it gets no new connections. <see cref="Pick"/> returns an index, or -1 when none is
/// available (IPVS then drops or sends ICMP).
/// </summary>
public abstract class Scheduler
{
    protected Scheduler(ReadOnlySpan<int> weights)
    {
        Weights = weights.ToArray();
        foreach (var w in Weights) if (w < 0) throw new ArgumentOutOfRangeException(nameof(weights), "weights must not be negative");
    }

    protected int[] Weights { get; }
    public int Count => Weights.Length;

    public abstract int Pick(UInt128 client);

    /// <summary>Whether a destination may take new connections (weight above 0).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)] // on a template hit, like IndexOfId
    public bool IsAvailable(int index) => (uint)index < (uint)Weights.Length && Weights[index] > 0;

    /// <summary>Whether this scheduler runs over exactly these weights.</summary>
    public bool HasWeights(ReadOnlySpan<int> weights) => weights.SequenceEqual(Weights);

    /// <summary>
    /// Continues from <paramref name="old"/>'s state after the destinations changed from <paramref name="oldKeys"/> to
    /// <paramref name="newKeys"/> (same scheduler type): rr keeps its position, lc the counts of the destinations that
    /// stay. Maglev and source hashing are rebuilt from the new destinations, as IPVS rebuilds their tables.
    /// </summary>
    public virtual void TakeOver(Scheduler old, IReadOnlyList<string> oldKeys, IReadOnlyList<string> newKeys) { }

    /// <summary>Connection accounting (lc uses it; the others ignore it).</summary>
    public virtual void Opened(int index) { }
    public virtual void Closed(int index) { }

    public const string Default = "rr";
    public static IReadOnlyList<string> Names => FastPath.Model.IpvsSchedulers.All;

    /// <summary>Makes the scheduler IPVS calls <paramref name="name"/>; <paramref name="keys"/> name the destinations (mh hashes them).</summary>
    public static Scheduler Create(string name, ReadOnlySpan<int> weights, IReadOnlyList<string> keys) => name switch
    {
        "rr" => new RoundRobinScheduler(weights),
        "wrr" => new WeightedRoundRobinScheduler(weights),
        "lc" => new LeastConnectionScheduler(weights),
        "sh" => new SourceHashScheduler(weights),
        "mh" => new MaglevScheduler(weights, keys),
        _ => throw new ArgumentException($"unknown IPVS scheduler '{name}'; use one of {string.Join(", ", Names)}", nameof(name)),
    };
}
