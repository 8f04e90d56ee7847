"""Calls the model does not interpret: an argument that tests one flag is marked as a bit test."""

from reviewer.flagmodel import interp_values
from reviewer.flagmodel.c_parse import parse_statements
from reviewer.flagmodel.interp_opaque import call_opaque
from reviewer.flagmodel.tree_state import Model


def _args(text: str):
    call = parse_statements(text).statements[0].named_children[0]
    return call.child_by_field_name("arguments").named_children


def _bit_tests(text: str) -> set:
    env = interp_values.Env(Model("S3"), {"vm_flags": 3}, {}, set(), {})
    call_opaque(env, "foo", list(_args(text)))
    return env.bit_tests


def test_a_one_flag_test_is_marked_bare_and_in_brackets():
    assert _bit_tests("foo(vm_flags & VM_WRITE);") == {(0, 0)}
    assert _bit_tests("foo(((vm_flags & VM_WRITE)));") == {(0, 0)}


def test_a_two_flag_mask_is_not_a_bit_test():
    assert _bit_tests("foo(vm_flags & (VM_WRITE | VM_READ));") == set()
