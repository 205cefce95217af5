using System;
using System.Collections.Generic;
using System.Threading;
using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace FastPath.Grpc;

/// <summary>Creates the FastPath balancer in one of its two modes.</summary>
internal sealed class FastPathBalancerFactory(string name, bool powerOfTwo) : LoadBalancerFactory
{
    public override string Name => name;

    public override LoadBalancer Create(LoadBalancerOptions options) => new FastPathBalancer(options.Controller, powerOfTwo);
}

/// <summary>
/// One subchannel per address and a picker over the ready ones: strict round robin, or power of two choices on calls
/// in flight. Unlike grpc-dotnet's <c>SubchannelsLoadBalancer</c>, a resolver failure is authoritative: FastPath's
/// resolver fails only when kube-proxy itself would refuse the connection (no eligible endpoint, unknown Service or
/// port), so the subchannels are dropped and calls fail with the resolver's status instead of reaching stale pods.
/// A subchannel's in-flight count lives as long as the subchannel (pickers are rebuilt on every change), and each pick
/// result is made once per picker, so a pick allocates nothing. The channel calls a balancer under its own lock
/// (resolver results, subchannel state changes, connection requests), so this class needs none.
/// </summary>
internal sealed class FastPathBalancer(IChannelControlHelper controller, bool powerOfTwo) : LoadBalancer
{
    private readonly List<Entry> _entries = new();

    private sealed class Entry(Subchannel subchannel, BalancerAddress address)
    {
        public Subchannel Subchannel { get; } = subchannel;
        public BalancerAddress Address { get; } = address;
        public CallCounter Calls { get; } = new();
        public ConnectivityState State { get; set; } = ConnectivityState.Idle;
        public Status LastStatus { get; set; } = Status.DefaultSuccess;
    }

    public override void UpdateChannelState(ChannelState state)
    {
        var created = new List<Subchannel>();
        if (state.Status.StatusCode != StatusCode.OK || state.Addresses is not { Count: > 0 } addresses)
        {
            RemoveAll();
            var status = state.Status.StatusCode != StatusCode.OK ? state.Status : new Status(StatusCode.Unavailable, "The resolver returned no addresses.");
            controller.UpdateState(new BalancerState(ConnectivityState.TransientFailure, new FailurePicker(status)));
            return;
        }
        var keep = new List<Entry>(addresses.Count);
        foreach (var address in addresses)
        {
            int at = _entries.FindIndex(e => Equals(e.Address.EndPoint, address.EndPoint));
            if (at >= 0) { keep.Add(_entries[at]); _entries.RemoveAt(at); continue; }
            var subchannel = controller.CreateSubchannel(new SubchannelOptions([address]));
            var entry = new Entry(subchannel, address);
            subchannel.OnStateChanged(s => OnSubchannelState(entry, s));
            keep.Add(entry);
            created.Add(subchannel);
        }
        RemoveAll(); // what is left was not in the new list
        _entries.AddRange(keep);
        Publish();
        foreach (var s in created) s.RequestConnection();
    }

    private void OnSubchannelState(Entry entry, SubchannelState state)
    {
        if (!_entries.Contains(entry)) return;
        entry.State = state.State;
        entry.LastStatus = state.Status;
        Publish();
        if (state.State is ConnectivityState.TransientFailure or ConnectivityState.Idle) controller.RefreshResolver();
        if (state.State == ConnectivityState.Idle) entry.Subchannel.RequestConnection();
    }

    private void Publish()
    {
        var ready = _entries.FindAll(e => e.State == ConnectivityState.Ready);
        if (ready.Count > 0)
        {
            var picks = new PickResult[ready.Count];
            var counters = new CallCounter[ready.Count];
            for (int i = 0; i < picks.Length; i++) { counters[i] = ready[i].Calls; picks[i] = PickResult.ForSubchannel(ready[i].Subchannel, counters[i]); }
            controller.UpdateState(new BalancerState(ConnectivityState.Ready, powerOfTwo ? new PowerOfTwoPicker(picks, counters) : new RoundRobinPicker(picks)));
        }
        else if (_entries.Exists(e => e.State is ConnectivityState.Idle or ConnectivityState.Connecting))
            controller.UpdateState(new BalancerState(ConnectivityState.Connecting, QueuePicker.Instance));
        else
        {
            var last = _entries.Count > 0 ? _entries[^1].LastStatus : Status.DefaultSuccess;
            controller.UpdateState(new BalancerState(ConnectivityState.TransientFailure,
                new FailurePicker(new Status(StatusCode.Unavailable, $"No eligible endpoint accepts connections: {last.Detail}", last.DebugException))));
        }
    }

    private void RemoveAll()
    {
        foreach (var e in _entries) e.Subchannel.Dispose();
        _entries.Clear();
    }

    public override void RequestConnection()
    {
        foreach (var e in _entries) e.Subchannel.RequestConnection();
    }

    protected override void Dispose(bool disposing)
    {
        RemoveAll();
        base.Dispose(disposing);
    }

    internal sealed class CallCounter : ISubchannelCallTracker
    {
        private int _outstanding;
        public int Outstanding => Volatile.Read(ref _outstanding);
        public void Start() => Interlocked.Increment(ref _outstanding);
        public void Complete(CompletionContext context) => Interlocked.Decrement(ref _outstanding);
    }

    internal sealed class RoundRobinPicker(PickResult[] picks) : SubchannelPicker
    {
        private int _next = -1;
        public override PickResult Pick(PickContext context) => picks[(int)((uint)Interlocked.Increment(ref _next) % (uint)picks.Length)];
    }

    internal sealed class PowerOfTwoPicker(PickResult[] picks, CallCounter[] counters) : SubchannelPicker
    {
        public override PickResult Pick(PickContext context)
        {
            int n = picks.Length;
            if (n == 1) return picks[0];
            int a = Random.Shared.Next(n), b = Random.Shared.Next(n - 1);
            if (b >= a) b++; // two distinct subchannels
            return counters[b].Outstanding < counters[a].Outstanding ? picks[b] : picks[a];
        }
    }

    private sealed class FailurePicker(Status status) : SubchannelPicker
    {
        private readonly PickResult _result = PickResult.ForFailure(status);
        public override PickResult Pick(PickContext context) => _result;
    }

    private sealed class QueuePicker : SubchannelPicker
    {
        public static readonly QueuePicker Instance = new();
        private static readonly PickResult Queue = PickResult.ForQueue();
        public override PickResult Pick(PickContext context) => Queue;
    }
}
