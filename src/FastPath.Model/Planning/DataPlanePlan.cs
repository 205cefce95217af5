using System.Collections.Generic;

namespace FastPath.Model.Planning;

/// <summary>What kube-proxy programs for one service port, node and traffic source: an action and the eligible endpoints.</summary>
public sealed record PortDecision(string? Node, bool External, int Action, IReadOnlyList<int> Eligible, string Reason);

/// <summary>One service port with its endpoints (sorted "ip:port") and a decision per node and source.</summary>
public sealed record PortPlan(
    string Namespace, string Service, string? PortName, int Port, string Protocol, int NodePort,
    string ClusterIP, string? ExternalVip, IReadOnlyList<string> Endpoints, IReadOnlyList<int> Weights,
    string Scheduler, int AffinityTimeout, IReadOnlyList<PortDecision> Decisions, string Source);

/// <summary>The kubelet's service variables per namespace, with and without service links.</summary>
public sealed record EnvironmentPlan(string Namespace, IReadOnlyList<KeyValuePair<string, string>> WithLinks, IReadOnlyList<KeyValuePair<string, string>> WithoutLinks);
