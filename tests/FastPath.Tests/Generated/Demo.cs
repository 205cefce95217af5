using FastPath;

namespace FastPath.Tests.Generated;

/// <summary>The demo cluster, compiled into this test assembly by the source generator at build time.</summary>
[FastPathCluster("../../manifests/demo")]
public static partial class Demo;
