using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using FastPath.Live;
using FastPath.Reference.DataPlane;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FastPath.Tests.Properties;

/// <summary>One connection in an affinity sequence: who connects, through which entry point, after how long a pause.</summary>
public sealed record AffinityStep(int Client, bool External, int PauseSeconds)
{
    public override string ToString() => $"+{PauseSeconds}s client {Client} {(External ? "external" : "internal")}";
}

/// <summary>A ClientIP Service and a sequence of new connections to it.</summary>
public sealed record AffinityCase(string Scheduler, int TimeoutSeconds, int Endpoints, string Weights, bool LoadBalancer, IReadOnlyList<AffinityStep> Steps)
{
    public string Yaml()
    {
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\n  annotations: {fastpath.io/scheduler: ").Append(Scheduler);
        if (Weights.Length > 0) sb.Append(", fastpath.io/weights: \"").Append(Weights).Append('"');
        sb.Append("}\nspec:\n  type: ").Append(LoadBalancer ? "LoadBalancer" : "NodePort").Append("\n  clusterIP: 10.96.1.1\n");
        sb.Append("  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: ").Append(TimeoutSeconds.ToString(CultureInfo.InvariantCulture)).Append("}}\n");
        sb.Append("  ports: [{name: grpc, port: 50051, nodePort: 30051}]\n");
        if (LoadBalancer) sb.Append("status: {loadBalancer: {ingress: [{ip: 203.0.113.9}]}}\n");
        sb.Append("---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: cart-1, namespace: shop, labels: {kubernetes.io/service-name: cart}}\n");
        sb.Append("addressType: IPv4\nports: [{name: grpc, port: 50051, protocol: TCP}]\nendpoints:\n");
        for (int i = 1; i <= Endpoints; i++) sb.Append("- {addresses: [10.1.0.").Append(i.ToString(CultureInfo.InvariantCulture)).Append("], conditions: {ready: true}, nodeName: n1}\n");
        return sb.ToString();
    }

    public override string ToString() => Yaml() + "--- steps\n" + string.Join("\n", Steps);
}

/// <summary>
/// The runtime's persistence table (behind a live snapshot's data plane) and the reference's own plain model of IPVS
/// templates make the same choice, sticky or not, for every connection of random sequences whose pauses sit around
/// the timeout (just under, at, just over), so refresh on use, expiry and per-entry-point keys all decide outcomes.
/// </summary>
public class AffinitySequenceProperties(ITestOutputHelper output)
{
    private static readonly IPAddress[] Clients = new[] { "192.0.2.1", "192.0.2.2", "2001:db8::7", "198.51.100.4" }.Select(IPAddress.Parse).ToArray();

    private static Gen<AffinityStep> Step(int timeout) =>
        from client in Gen.Choose(0, Clients.Length - 1)
        from external in Gen.Elements(false, false, true)
        from pause in Gen.Elements(0, 1, timeout - 1, timeout - 1, timeout, timeout + 1, timeout / 2).Select(p => Math.Max(0, p))
        select new AffinityStep(client, external, pause);

    public static Gen<AffinityCase> Cases =>
        from scheduler in Gen.Elements("rr", "wrr", "lc", "sh", "mh")
        from timeout in Gen.Elements(1, 2, 10, 60, 10800)
        from endpoints in Gen.Choose(1, 4)
        from weighted in Gen.Elements(false, false, true)
        from lb in Gen.Elements(false, true)
        from count in Gen.Choose(4, 24)
        from steps in Gen.ListOf(Step(timeout), count)
        select new AffinityCase(scheduler, timeout, endpoints, weighted ? "10.1.0.1=3,10.1.0.2=0" : "", lb, steps.ToList());

    /// <summary>Runs the sequence on both; the first step whose choice differs, with both choices, or null.</summary>
    internal static string? FirstDifference(AffinityCase c)
    {
        var cluster = TestClusters.Load(c.Yaml());
        var svc = cluster.Services.Single();
        var refTime = new FakeTimeProvider();
        var runTime = new FakeTimeProvider();
        var reference = new ReferenceDataPlane(cluster, refTime);
        var plane = ClusterSnapshot.Build(cluster).DataPlane;
        plane.Configure(runTime);
        var handle = plane.Find("shop", "cart", "grpc")!;
        for (int i = 0; i < c.Steps.Count; i++)
        {
            var s = c.Steps[i];
            refTime.Advance(TimeSpan.FromSeconds(s.PauseSeconds));
            runTime.Advance(TimeSpan.FromSeconds(s.PauseSeconds));
            var want = reference.Connect(svc, svc.Ports[0], new TrafficSource("n1", s.External), Clients[s.Client]);
            var got = handle.Select(Clients[s.Client], "n1", s.External);
            var w = $"{want.Decision.Action} {want.Endpoint} sticky={want.Sticky}";
            var g = $"{got.Action} {got.Endpoint} sticky={got.Sticky}";
            if (w != g) return $"step {i} ({s}): reference {w}, runtime {g}";
        }
        return null;
    }

    private void Run(ulong seed, int runs)
    {
        output.WriteLine($"seed {seed}, {runs} sequences");
        int ran = 0;
        var property = Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            ran++;
            var difference = FirstDifference(c);
            if (difference is not null) throw new Exception(difference + "\n" + c);
        });
        var replay = new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL | 1), Microsoft.FSharp.Core.FSharpOption<int>.None);
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(runs).WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(replay)).WithQuietOnSuccess(true), property);
        Assert.True(ran >= runs, "the property ran on fewer sequences than asked");
    }

    [Fact]
    public void Runtime_persistence_makes_the_reference_templates_choices_fixed_seed() => Run(20261202, 150);

    [Fact]
    public void Runtime_persistence_makes_the_reference_templates_choices_random_seed() => Run((ulong)Random.Shared.NextInt64(), 150);

    [Fact]
    public void A_connection_just_inside_the_timeout_keeps_the_template_alive_for_another_full_timeout()
    {
        // The refresh on use, stated as one sequence: without it the third connection (at 2T - 2 s) would be rescheduled.
        var c = new AffinityCase("rr", 60, 3, "", false, [new(0, false, 0), new(0, false, 59), new(0, false, 59), new(0, false, 60)]);
        Assert.Null(FirstDifference(c));
        var cluster = TestClusters.Load(c.Yaml());
        var svc = cluster.Services.Single();
        var time = new FakeTimeProvider();
        var reference = new ReferenceDataPlane(cluster, time);
        var sticky = new List<bool>();
        foreach (var s in c.Steps)
        {
            time.Advance(TimeSpan.FromSeconds(s.PauseSeconds));
            sticky.Add(reference.Connect(svc, svc.Ports[0], TrafficSource.Internal("n1"), Clients[0]).Sticky);
        }
        Assert.Equal([false, true, true, false], sticky);
    }
}
