namespace AsyaSocket.Compose;

/// <summary>An Asya sidecar found in a compose file: a service whose environment sets ASYA_ACTOR_NAME.</summary>
/// <param name="Service">The compose service name.</param>
/// <param name="ActorName">ASYA_ACTOR_NAME.</param>
/// <param name="Transport">ASYA_TRANSPORT (the sidecar's default is rabbitmq).</param>
/// <param name="MeshDirectory">ASYA_SOCKET_MESH_DIR inside the container, when set.</param>
/// <param name="User">The service's <c>user:</c>, when set.</param>
public sealed record ComposeActor(string Service, string ActorName, string? Transport, string? MeshDirectory, string? User);
