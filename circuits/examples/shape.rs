//! Print the statement (v2) circuit's shape.
fn main() {
    match zkstatus_circuits::statement::v2::constraints::circuit_shape() {
        Ok(s) => println!(
            "constraints {} instance {} witness {} hash {}",
            s.num_constraints,
            s.num_instance_variables,
            s.num_witness_variables,
            s.matrix_hash
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        ),
        Err(e) => eprintln!("{e}"),
    }
}
