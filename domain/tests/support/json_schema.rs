//! A checker for the subset of JSON Schema that `sme_judge_output_schema.json` uses: `type`,
//! `required`, `properties`, `additionalProperties`, `items`, `enum`, `minimum`, `maximum`
//! and local `$ref`s (`#/$defs/name`). Anything else in a schema is ignored.

use serde_json::Value;

/// The violations of `schema` by `value`, each as "path: problem"; empty when it conforms.
pub fn violations(root: &Value, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(root, root, value, "$", &mut out);
    out
}

fn check(root: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let pointer = reference.strip_prefix('#').expect("only local $refs");
        let target = root.pointer(pointer).expect("a resolvable $ref");
        return check(root, target, value, path, out);
    }
    if let Some(kind) = schema.get("type") {
        let kinds: Vec<&str> = match kind {
            Value::String(k) => vec![k.as_str()],
            Value::Array(ks) => ks.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !kinds.iter().any(|k| has_type(value, k)) {
            out.push(format!("{path}: expected type {kinds:?}, found {value}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        out.push(format!("{path}: {value} is not one of {allowed:?}"));
    }
    if let Some(x) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && x < min
        {
            out.push(format!("{path}: {x} is below the minimum {min}"));
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && x > max
        {
            out.push(format!("{path}: {x} is above the maximum {max}"));
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            check(root, items, item, &format!("{path}[{i}]"), out);
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().expect("required names are strings");
            if !object.contains_key(name) {
                out.push(format!("{path}: missing required property {name:?}"));
            }
        }
        for (name, item) in object {
            let item_path = format!("{path}.{name}");
            match properties.and_then(|p| p.get(name)) {
                Some(sub) => check(root, sub, item, &item_path, out),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        out.push(format!("{path}: property {name:?} is not allowed"));
                    }
                    Some(sub @ Value::Object(_)) => check(root, sub, item, &item_path, out),
                    _ => {}
                },
            }
        }
    }
}

fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        // JSON Schema counts 4.0 as an integer too.
        "integer" => value.as_f64().is_some_and(|x| x.fract() == 0.0),
        _ => panic!("unsupported schema type {kind:?}"),
    }
}
