#!/usr/bin/env bash
# Opens a .c1z the way baton does, with no code of this project: checks the 5-byte header C1ZF\0, decompresses the
# rest with `zstd -d`, lists the SQLite tables, the sync run and the row counts with `sqlite3`, and decodes rows with
# `protoc --decode` against src/main/proto. protoc prints a google.protobuf.Any as bytes, so resources are decoded
# through a view (written below) that reads their trait annotation as the trait message: same field numbers.
#
#   scripts/c1z-inspect.sh [sync.c1z] [external id ...]
#
# With no ids it decodes the first resource type, user, group, entitlement and grant; otherwise the rows with those
# external ids (e.g. user:<id>, group:<gid>:member, group:<gid>:member:user:<uid>). Needs zstd and sqlite3, and a
# build first (`mvn -q -DskipTests compile` fetches protoc and the well-known .proto files into target/).
set -euo pipefail
c1z=$(realpath "${1:-sync.c1z}")
shift || true
cd "$(dirname "$0")/.."

protoc=$(ls target/protoc-plugins/protoc-*.exe 2>/dev/null | head -1 || true)
includes=()
for d in target/protoc-dependencies/*/; do includes+=(-I "$d"); done
if [[ -z "$protoc" || ${#includes[@]} -eq 0 ]]; then
  echo "no protoc in target/: run 'mvn -q -DskipTests compile' first" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/sync.db

header=$(head -c 5 "$c1z" | od -An -c | tr -s ' ')
echo "header:$header"
[[ "$(head -c 4 "$c1z")" == "C1ZF" && "$(head -c 5 "$c1z" | tail -c 1 | od -An -tu1 | tr -d ' ')" == "0" ]] \
  || { echo "not a v1 c1z (expected C1ZF\\0)" >&2; exit 1; }
tail -c +6 "$c1z" | zstd -d -q -o "$db"
echo "decompressed: $(stat -c %s "$c1z") -> $(stat -c %s "$db") bytes of $(head -c 15 "$db")"

echo; echo "tables: $(sqlite3 "$db" "select group_concat(name, ' ') from sqlite_master where type = 'table'")"
echo; echo "sync run:"
sqlite3 -header -column "$db" "select sync_id, sync_type, started_at, ended_at, grants_backfilled from v1_sync_runs"
echo; echo "rows:"
sqlite3 -header -column "$db" "select 'v1_resource_types' as 'table', '' as type, count(*) as n from v1_resource_types
  union all select 'v1_resources', resource_type_id, count(*) from v1_resources group by resource_type_id
  union all select 'v1_entitlements', resource_type_id, count(*) from v1_entitlements group by resource_type_id
  union all select 'v1_grants', resource_type_id, count(*) from v1_grants group by resource_type_id"

# Resource, with annotations (field 4) read as {type_url = 1, value = 2: <Trait>}: how a trait sits inside an Any.
view=$work/c1z_view.proto
{
  echo 'syntax = "proto3"; package c1z.view;'
  echo 'import "c1/connector/v2/resource.proto"; import "c1/connector/v2/annotation_trait.proto";'
  echo 'import "google/protobuf/struct.proto"; import "google/protobuf/timestamp.proto";'
  for trait in UserTrait GroupTrait RoleTrait LicenseProfileTrait; do
    echo "message ${trait}Any { string type_url = 1; c1.connector.v2.${trait} value = 2; }"
    echo "message ${trait}Resource { c1.connector.v2.ResourceId id = 1; c1.connector.v2.ResourceId parent_resource_id = 2;"
    echo "  string display_name = 3; repeated ${trait}Any annotations = 4; string description = 5;"
    echo "  google.protobuf.Struct profile = 9; c1.connector.v2.Resource.Status status = 11;"
    echo "  google.protobuf.Timestamp created_at = 12; }"
  done
} > "$view"

decode() { # table message where
  local blob=$work/row.bin
  rm -f "$blob"
  sqlite3 "$db" "select writefile('$blob', data) from $1 where $3 order by id limit 1" >/dev/null
  if [[ -s "$blob" ]]; then
    echo; echo "--- $1 where $3: protoc --decode=$2"
    "$protoc" "${includes[@]}" -I src/main/proto -I "$work" --decode="$2" src/main/proto/c1/connector/v2/*.proto "$view" < "$blob"
  fi
}

message_of() { # table external-id
  case "$1:$2" in
    v1_resource_types:*) echo c1.connector.v2.ResourceType ;;
    v1_resources:user:*) echo c1z.view.UserTraitResource ;;
    v1_resources:group:*) echo c1z.view.GroupTraitResource ;;
    v1_resources:role:*) echo c1z.view.RoleTraitResource ;;
    v1_resources:license:*) echo c1z.view.LicenseProfileTraitResource ;;
    v1_resources:*) echo c1.connector.v2.Resource ;;
    v1_entitlements:*) echo c1.connector.v2.Entitlement ;;
    v1_grants:*) echo c1.connector.v2.Grant ;;
  esac
}

if [[ $# -eq 0 ]]; then
  decode v1_resource_types c1.connector.v2.ResourceType "external_id = 'user'"
  decode v1_resources c1z.view.UserTraitResource "resource_type_id = 'user'"
  decode v1_resources c1z.view.GroupTraitResource "resource_type_id = 'group'"
  decode v1_resources c1z.view.LicenseProfileTraitResource "resource_type_id = 'license'"
  decode v1_entitlements c1.connector.v2.Entitlement "resource_type_id = 'license'"
  decode v1_grants c1.connector.v2.Grant "resource_type_id = 'group'"
else
  for id in "$@"; do
    for table in v1_resource_types v1_resources v1_entitlements v1_grants; do
      decode "$table" "$(message_of "$table" "$id")" "external_id = '${id//\'/\'\'}'"
    done
  done
fi
