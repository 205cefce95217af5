using FastPath.Live;

namespace FastPath.ServiceDiscovery;

/// <summary>
/// Set in <c>ServiceEndpointSource.Features</c> whenever FastPath answered a query: the outcome, the reason when there
/// are no endpoints (unknown Service, unknown port naming the ports that exist, no eligible endpoint), and the
/// snapshot version the answer came from. Read it with <c>source.Features.Get&lt;IFastPathResolutionFeature&gt;()</c>.
/// </summary>
public interface IFastPathResolutionFeature
{
    ServiceResolutionOutcome Outcome { get; }
    string Reason { get; }
    long SnapshotVersion { get; }
}

internal sealed record FastPathResolutionFeature(ServiceResolutionOutcome Outcome, string Reason, long SnapshotVersion) : IFastPathResolutionFeature;
