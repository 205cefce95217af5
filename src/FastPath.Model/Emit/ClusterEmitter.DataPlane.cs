namespace FastPath.Model.Emit;

public static partial class ClusterEmitter
{
    static partial void EmitDataPlaneCore(SourceWriter w, EmitRequest r);
    static partial void EmitEnvironmentCore(SourceWriter w, EmitRequest r);

    private static void EmitDataPlane(SourceWriter w, EmitRequest r) => EmitDataPlaneCore(w, r);
    private static void EmitEnvironment(SourceWriter w, EmitRequest r) => EmitEnvironmentCore(w, r);
}
