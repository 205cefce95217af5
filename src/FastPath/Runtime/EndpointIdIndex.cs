using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastPath.Runtime;

/// <summary>
/// Finds an endpoint's position from its stable id (<see cref="BackendSelector.EndpointId"/>, never negative), as a
/// persistence template names it. A template names a random one of the endpoints, on which a binary search's branches
/// mispredict: up to 8 ids are found with one inline vector compare (the ids padded with -1), more with a vectorized
/// scan. The first position holding the id is returned.
/// </summary>
public readonly struct EndpointIdIndex
{
    private readonly int[] _ids;
    private readonly int[]? _ids8;

    public EndpointIdIndex(int[] ids)
    {
        _ids = ids;
        if (ids.Length <= 8)
        {
            _ids8 = [-1, -1, -1, -1, -1, -1, -1, -1];
            ids.CopyTo(_ids8, 0);
        }
    }

    /// <summary>The position of <paramref name="id"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(int id)
    {
        if (_ids8 is { } ids8 && Vector256.IsHardwareAccelerated)
        {
            uint found = Vector256.Equals(Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(ids8)), Vector256.Create(id)).ExtractMostSignificantBits();
            return found == 0 ? -1 : BitOperations.TrailingZeroCount(found);
        }
        return _ids.AsSpan().IndexOf(id);
    }
}
