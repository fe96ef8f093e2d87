// A secret the server keeps only hashed (an API token, a runner's registration command, a
// one-time link) is shown once, in the answer that made it: what it is, then a read-only
// field to copy it from, since it cannot be shown again.
export function SecretNotice(props: { id: string; secret: string; copyLabel: string; message: string }) {
  return (
    <div class="notice" role="status">
      <p>{props.message}</p>
      <label for={props.id}>{props.copyLabel}</label>
      <input id={props.id} class="token" type="text" readonly value={props.secret} />
    </div>
  )
}
