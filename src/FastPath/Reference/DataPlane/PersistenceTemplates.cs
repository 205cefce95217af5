using System;
using System.Collections.Generic;
using System.Net;

namespace FastPath.Reference.DataPlane;

/// <summary>
/// IPVS persistence templates as the specification states them (ip_vs_sched_persist, ip_vs_check_template,
/// ip_vs_conn_put), in the plainest form: a dictionary from the template's key to the endpoint it names and the time
/// it expires. Written apart from the runtime's PersistenceTable on purpose: the property tests hold one against the
/// other, which they could not do if both ran the same code.
/// <list type="bullet">
/// <item>A template is keyed by the virtual service (address, port, protocol) and the client's address (/32, /128).</item>
/// <item>It is created with the service's timeout when the scheduler picks an endpoint for a client without one.</item>
/// <item>Each new connection that uses it re-arms it to the full timeout (refresh on use).</item>
/// <item>It is dead from its expiry instant on (the kernel timer fires then).</item>
/// <item>It is invalid, and removed, when its endpoint is no longer a destination of the service or is quiesced
/// (weight 0; kube-proxy sets expire_quiescent_template=1).</item>
/// </list>
/// Templates are not capped: IPVS keeps one per client for as long as the timeout says (the runtime table's cap is
/// its own documented departure, not the specification's).
/// </summary>
internal sealed class PersistenceTemplates(TimeProvider time)
{
    /// <summary>
    /// One template's identity: the virtual service a connection arrived at (a VIP, or "node/&lt;name&gt;" for a
    /// NodePort, whose node address the manifests do not hold), its port and protocol, and the client's address.
    /// </summary>
    public readonly record struct Key(string VirtualAddress, int VirtualPort, string Protocol, IPAddress Client);

    private sealed record Template(string Endpoint, DateTimeOffset Expires);

    private readonly Dictionary<Key, Template> _templates = new();
    private readonly object _gate = new();

    /// <summary>Templates alive now (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                var now = time.GetUtcNow();
                int n = 0;
                foreach (var t in _templates.Values) if (t.Expires > now) n++;
                return n;
            }
        }
    }

    /// <summary>
    /// The endpoint for a new connection: the one the client's live, valid template names (refreshed), else
    /// <paramref name="schedule"/>'s pick, remembered in a new template. Null when the scheduler has no destination.
    /// </summary>
    /// <param name="isValid">Whether an endpoint is still an available destination of the virtual service.</param>
    public (string Endpoint, bool Sticky)? Connect(Key key, int timeoutSeconds, Func<string, bool> isValid, Func<string?> schedule)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var timeout = TimeSpan.FromSeconds(timeoutSeconds);
            if (_templates.TryGetValue(key, out var t))
            {
                if (t.Expires > now && isValid(t.Endpoint))
                {
                    _templates[key] = t with { Expires = now + timeout };
                    return (t.Endpoint, true);
                }
                _templates.Remove(key); // expired, or invalid: unhashed, and a new destination is scheduled
            }
            var picked = schedule();
            if (picked is null) return null;
            _templates[key] = new Template(picked, now + timeout);
            return (picked, false);
        }
    }
}
