using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.ServiceDiscovery;

namespace FastPath.ServiceDiscovery;

/// <summary>
/// Wraps MESD's pass-through provider (which turns any host with no endpoints into a DNS name) so that it stays
/// silent for names FastPath answered, even with no endpoints: "no endpoints, because …" must not become a DNS query.
/// </summary>
internal sealed class PassThroughGate(IServiceEndpointProviderFactory passThrough) : IServiceEndpointProviderFactory
{
    public bool TryCreateProvider(ServiceEndpointQuery query, [NotNullWhen(true)] out IServiceEndpointProvider? provider)
    {
        if (!passThrough.TryCreateProvider(query, out var inner)) { provider = null; return false; }
        provider = new Provider(inner);
        return true;
    }

    private sealed class Provider(IServiceEndpointProvider inner) : IServiceEndpointProvider
    {
        public ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken) =>
            endpoints.Features.Get<IFastPathResolutionFeature>() is null ? inner.PopulateAsync(endpoints, cancellationToken) : default;

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public override string? ToString() => inner.ToString();
    }
}
