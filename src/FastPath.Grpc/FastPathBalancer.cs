using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using FastPath.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace FastPath.Grpc;

/// <summary>Creates the FastPath balancer in one of its two modes.</summary>
internal sealed class FastPathBalancerFactory(string name, bool powerOfTwo, FastPathMetrics? metrics = null) : LoadBalancerFactory
{
    public override string Name => name;

    public override LoadBalancer Create(LoadBalancerOptions options) => new FastPathBalancer(options.Controller, powerOfTwo, metrics);
}

/// <summary>
/// One subchannel per address and a picker over the ready ones: strict round robin, or power of two choices on calls
/// in flight. Unlike grpc-dotnet's <c>SubchannelsLoadBalancer</c>, a resolver failure is authoritative: FastPath's
/// resolver fails only when kube-proxy itself would refuse the connection (no eligible endpoint, unknown Service or
/// port), so the subchannels are dropped and calls fail with the resolver's status instead of reaching stale pods.
/// A subchannel's in-flight count lives as long as the subchannel (pickers are rebuilt on every change), and each pick
/// result is made once per picker, so a pick allocates nothing. Every pick is a lookup of
/// <see cref="FastPathMetrics"/> (integration <c>grpc</c>), with the chosen subchannel's endpoint as a selection or
/// the resolver's reason as a miss. The channel calls a balancer under its own lock
/// (resolver results, subchannel state changes, connection requests), so this class needs none.
/// </summary>
internal sealed class FastPathBalancer(IChannelControlHelper controller, bool powerOfTwo, FastPathMetrics? metrics) : LoadBalancer
{
    private const string Integration = FastPathResolverFactory.Integration;
    private readonly List<Entry> _entries = new();
    private string _service = "";

    private sealed class Entry(Subchannel subchannel, BalancerAddress address)
    {
        public Subchannel Subchannel { get; } = subchannel;
        public BalancerAddress Address { get; } = address;
        /// <summary>"ip:port", the <c>fastpath.endpoint</c> tag.</summary>
        public string Endpoint { get; } = IPAddress.TryParse(address.EndPoint.Host, out var ip)
            ? new IPEndPoint(ip, address.EndPoint.Port).ToString() : $"{address.EndPoint.Host}:{address.EndPoint.Port}";
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
            var reason = state.Status.Detail is { } detail && FastPathResolver.FastPathAttributes.MissReasons.TryGetValue(detail, out var r) ? r : MissReason.NoEndpoints;
            controller.UpdateState(new BalancerState(ConnectivityState.TransientFailure, new FailurePicker(status, metrics, reason)));
            return;
        }
        if (addresses[0].Attributes.TryGetValue(FastPathResolver.FastPathAttributes.Service, out var service) && service is not null) _service = service;
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
            var endpoints = new string[ready.Count];
            for (int i = 0; i < picks.Length; i++)
            {
                counters[i] = ready[i].Calls;
                picks[i] = PickResult.ForSubchannel(ready[i].Subchannel, counters[i]);
                endpoints[i] = ready[i].Endpoint;
            }
            var recorder = new PickRecorder(metrics, _service, endpoints);
            controller.UpdateState(new BalancerState(ConnectivityState.Ready, powerOfTwo ? new PowerOfTwoPicker(picks, counters, recorder) : new RoundRobinPicker(picks, recorder)));
        }
        else if (_entries.Exists(e => e.State is ConnectivityState.Idle or ConnectivityState.Connecting))
            controller.UpdateState(new BalancerState(ConnectivityState.Connecting, QueuePicker.Instance));
        else
        {
            var last = _entries.Count > 0 ? _entries[^1].LastStatus : Status.DefaultSuccess;
            controller.UpdateState(new BalancerState(ConnectivityState.TransientFailure,
                new FailurePicker(new Status(StatusCode.Unavailable, $"No eligible endpoint accepts connections: {last.Detail}", last.DebugException), metrics, MissReason.Unavailable)));
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

    /// <summary>Reports one pick: a lookup and the endpoint chosen (nothing is prepared when no one listens).</summary>
    internal sealed class PickRecorder(FastPathMetrics? metrics, string service, string[] endpoints)
    {
        public void Picked(int index)
        {
            if (metrics is null) return;
            metrics.Lookup(Integration);
            if (metrics.SelectionsEnabled) metrics.Selection(Integration, service, endpoints[index], sticky: false);
        }
    }

    internal sealed class RoundRobinPicker(PickResult[] picks, PickRecorder recorder) : SubchannelPicker
    {
        private int _next = -1;
        public override PickResult Pick(PickContext context)
        {
            int i = (int)((uint)Interlocked.Increment(ref _next) % (uint)picks.Length);
            recorder.Picked(i);
            return picks[i];
        }
    }

    internal sealed class PowerOfTwoPicker(PickResult[] picks, CallCounter[] counters, PickRecorder recorder) : SubchannelPicker
    {
        public override PickResult Pick(PickContext context)
        {
            int n = picks.Length, chosen = 0;
            if (n > 1)
            {
                int a = Random.Shared.Next(n), b = Random.Shared.Next(n - 1);
                if (b >= a) b++; // two distinct subchannels
                chosen = counters[b].Outstanding < counters[a].Outstanding ? b : a;
            }
            recorder.Picked(chosen);
            return picks[chosen];
        }
    }

    private sealed class FailurePicker(Status status, FastPathMetrics? metrics, string reason) : SubchannelPicker
    {
        private readonly PickResult _result = PickResult.ForFailure(status);
        public override PickResult Pick(PickContext context)
        {
            if (metrics is not null) { metrics.Lookup(Integration); metrics.Miss(Integration, reason); }
            return _result;
        }
    }

    private sealed class QueuePicker : SubchannelPicker
    {
        public static readonly QueuePicker Instance = new();
        private static readonly PickResult Queue = PickResult.ForQueue();
        public override PickResult Pick(PickContext context) => Queue;
    }
}
