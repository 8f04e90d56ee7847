"""What helper code from mail may contain before it is compiled: AST node types and callees."""

from __future__ import annotations

from reviewer.flagmodel.c_parse import Definition, text_of, walk

ALLOWED_CALLEES = {
    "bitmap_zero",
    "bitmap_or",
    "bitmap_and",
    "bitmap_andnot",
    "bitmap_intersects",
    "bitmap_subset",
    "bitmap_empty",
    "bitmap_equal",
    "bitmap_copy",
    "bitmap_xor",
    "bitmap_weight",
    "__set_bit",
    "set_bit",
    "test_bit",
    "__clear_bit",
    "clear_bit",
    "WRITE_ONCE",
    "READ_ONCE",
    "BIT",
    "COUNT_ARGS",
    "ACCESS_PRIVATE",
    "vma_start_write",
    "vma_assert_write_locked",
    "vma_assert_locked",
    "vma_assert_stabilised",
    "VM_WARN_ON_ONCE",
    "WARN_ON_ONCE",
    "VM_WARN_ON",
    "WARN_ON",
    "pgtable_supports_soft_dirty",
    "rwsem_is_locked",
}

ALLOWED_NODES = {
    "function_definition",
    "preproc_function_def",
    "compound_statement",
    "declaration",
    "init_declarator",
    "pointer_declarator",
    "array_declarator",
    "function_declarator",
    "parameter_list",
    "parameter_declaration",
    "variadic_parameter",
    "return_statement",
    "if_statement",
    "else_clause",
    "for_statement",
    "expression_statement",
    "binary_expression",
    "unary_expression",
    "assignment_expression",
    "update_expression",
    "call_expression",
    "argument_list",
    "field_expression",
    "subscript_expression",
    "pointer_expression",
    "parenthesized_expression",
    "cast_expression",
    "type_descriptor",
    "conditional_expression",
    "compound_literal_expression",
    "initializer_list",
    "identifier",
    "field_identifier",
    "type_identifier",
    "primitive_type",
    "sized_type_specifier",
    "type_qualifier",
    "storage_class_specifier",
    "number_literal",
    "true",
    "false",
    "comment",
    "abstract_pointer_declarator",
    "abstract_array_declarator",
    "preproc_params",
    "preproc_arg",
    "struct_specifier",
    "condition_clause",
    "comma_expression",
    "sizeof_expression",
    "null",
    "ms_call_modifier",
    "attribute_specifier",
    "preproc_defined",
}


def allowed(defn: Definition, known: set[str]) -> str:
    """Empty when the definition only uses allowlisted constructs and callees, else why not."""
    for node in walk(defn.node):
        if node.type not in ALLOWED_NODES and node.is_named:
            return f"construct {node.type}"
        if node.type == "call_expression":
            callee = text_of(node.child_by_field_name("function"))
            if callee not in ALLOWED_CALLEES and callee not in known:
                return f"callee {callee}()"
    if defn.kind == "macro":
        for token in defn.text.replace("(", " ").replace(")", " ").replace(",", " ").split():
            if token.isidentifier() and token.endswith("_mask") and token not in known:
                return f"callee {token}()"
    return ""
