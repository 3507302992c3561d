import { describe, expect, it } from 'vitest';
import { EXIT, ParseError, PlaybookError } from '../../../src/errors.js';
import { parsePlaybook } from '../../../src/playbook/parse.js';
import { MODULES } from './catalogue.js';

const F = 'site.yml';

function errorOf(text: string): PlaybookError {
  try {
    parsePlaybook(text, F, MODULES);
  } catch (e) {
    expect(e).toBeInstanceOf(PlaybookError);
    return e as PlaybookError;
  }
  throw new Error('expected a PlaybookError');
}

const play = (...taskLines: string[]): string => ['- hosts: all', '  tasks:', ...taskLines].join('\n') + '\n';

describe('broken playbooks: one line, file and line', () => {
  it.each<[string, string, number, string]>([
    ['bad YAML', '- hosts: all\n  tasks: [\n', 3, 'invalid YAML'],
    ['duplicate key', '- hosts: all\n  hosts: web\n', 2, 'duplicated mapping key'],
    ['empty file', '', 1, 'the playbook is empty'],
    ['not a list', 'hosts: all\n', 1, 'a playbook must be a list of plays, got a mapping'],
    ['a play that is not a mapping', '- hosts: all\n- just text\n', 2, 'each play must be a mapping'],
    ['a play without hosts', '- name: no hosts\n  tasks: []\n', 1, "the field 'hosts' is required"],
    ['empty hosts', '- hosts:\n', 1, "the field 'hosts' is required"],
    ['unknown play keyword, close', '- hosts: all\n  gather_fact: false\n', 2, "unknown play keyword 'gather_fact' (did you mean 'gather_facts'?)"],
    ['unknown play keyword, far', '- hosts: all\n  colour: blue\n', 2, "unknown play keyword 'colour'"],
    ['handlers', '- hosts: all\n  handlers:\n    - debug: msg=x\n', 2, 'handlers are not supported'],
    ['vars_files', '- hosts: all\n  vars_files: [x.yml]\n', 2, 'vars_files is not supported'],
    ['environment', '- hosts: all\n  environment: {A: b}\n', 2, 'environment is not supported'],
    ['roles', '- hosts: all\n  roles: [r]\n', 2, 'roles are not supported'],
    ['become_method', '- hosts: all\n  become_method: su\n', 2, "become_method: only sudo is supported, got 'su'"],
    ['strategy', '- hosts: all\n  strategy: host_pinned\n', 2, 'strategy must be linear or free'],
    ['serial', '- hosts: all\n  serial: lots\n', 2, 'serial must be a number of hosts or a percentage'],
    ['serial percent over 100', '- hosts: all\n  serial: 150%\n', 2, 'serial must be'],
    ['gather_facts not a bool', '- hosts: all\n  gather_facts: maybe\n', 2, "gather_facts must be true or false, got 'maybe'"],
    ['become from a template', "- hosts: all\n  become: '{{ b }}'\n", 2, 'a template is not supported here'],
    ['vars not a mapping', '- hosts: all\n  vars: [a]\n', 2, 'vars must be a mapping'],
    ['tasks not a list', '- hosts: all\n  tasks: {a: 1}\n', 2, 'tasks must be a list'],
    ['a task that is not a mapping', play('    - ping', ''), 3, 'each entry of tasks must be a task'],
    ['unknown task keyword', play('    - ping:', '      whne: x'), 4, "unknown task keyword 'whne' (did you mean 'when'?)"],
    ['unknown module, close', play('    - name: x', '      comand: echo hi'), 4, "unknown module 'comand' (did you mean 'command'?)"],
    ['unknown module, prefixed', play('    - ansible.builtin.copy:', '        src: a'), 3, "unknown module 'ansible.builtin.copy'"],
    ['no module', play('    - name: nothing to do', '      when: true'), 3, 'no module in this task'],
    ['two modules', play('    - name: two', '      ping:', '      debug: msg=x'), 5, "two modules in one task: 'ping' and 'debug'"],
    ['notify', play('    - ping:', '      notify: restart'), 4, 'handlers are not supported'],
    ['with_items', play('    - ping:', '      with_items: [1]'), 4, 'with_items is not supported: use loop:'],
    ['include_tasks', play('    - include_tasks: other.yml'), 3, 'include_tasks is not supported'],
    ['rescue without block', play('    - ping:', '      rescue: []'), 4, 'rescue without block'],
    ['unknown argument', play('    - wait_for:', '        port: 22', '        tiemout: 5'), 5, "module 'wait_for': unknown argument 'tiemout' (did you mean 'timeout'?)"],
    ['bad argument type', play('    - wait_for:', '        host: h', '        port: [22]'), 5, "module 'wait_for': argument 'port': Invalid input: expected number, received array (or a {{ template }})"],
    ['argument out of range', play('    - wait_for:', '        port: 70000'), 4, "argument 'port': Too big"],
    ['missing argument', play('    - name: wait', '      wait_for:', '        host: h'), 4, "module 'wait_for': missing required argument 'port'"],
    ['bad enum', play('    - wait_for:', '        port: 1', '        state: up'), 5, "argument 'state'"],
    ['bad nested argument', play('    - firewall:', '        rules:', '          - port: 1', '            proto: tcp', '          - port: 2', '            proto: sctp'), 8, "argument 'rules[1].proto'"],
    ['unknown nested argument', play('    - firewall:', '        rules:', '          - port: 1', '            proto: tcp', '            colour: red'), 7, "unknown argument 'colour' in 'rules[0]'"],
    ['bad argument in a flow mapping item', play('    - firewall:', '        rules:', '          - {port: 1, proto: tcp}', '          - {port: 2,', '             proto: sctp}'), 7, "argument 'rules[1].proto'"],
    ['bad argument from args:', play('    - wait_for:', '      args:', '        port: x'), 5, "argument 'port'"],
    ['key=value that is not', play('    - debug: hello world'), 3, "module 'debug' takes key=value arguments or a mapping; 'hello' is not key=value"],
    ['module value a list', play('    - debug: [a]'), 3, "module 'debug' takes a mapping of arguments, got a list"],
    ['free-form option', play('    - command: ls chdir=/tmp'), 3, "'chdir=/tmp' in the command line is not supported"],
    ['unbalanced quote', play("    - command: echo 'oops"), 3, 'cannot split the command line: No closing quotation'],
    ['empty command', play('    - command: "   "'), 3, 'the command line is empty'],
    ['cmd and argv', play('    - command:', '        cmd: ls', '        argv: [ls]'), 4, 'give either cmd or argv, not both'],
    ['bad template in an argument', play('    - debug:', "        msg: 'x {{ a == }}'"), 4, "bad template in argument 'msg' of module 'debug': expected a value"],
    ['statement template', play('    - debug:', "        msg: '{% if a %}x{% endif %}'"), 4, 'not {% statements %}'],
    ['bad template deep in args', play('    - firewall:', '        rules:', '          - port: "{{ p |}}"', '            proto: tcp'), 5, "argument 'rules' of module 'firewall' [0].port"],
    ['bad when expression', play('    - ping:', '      when: a ==== b'), 4, 'bad when expression "a ==== b"'],
    ['bad when in a list', play('    - ping:', '      when:', '        - a is defined', '        - b is definde'), 6, "unknown test 'definde' (did you mean 'defined'?)"],
    ['when mixing text and {{ }}', play('    - ping:', '      when: "{{ a }} == 1"'), 4, 'write it without {{ }}'],
    ['when a mapping', play('    - ping:', '      when: {a: 1}'), 4, 'when must be an expression'],
    ['bad failed_when', play('    - ping:', '      failed_when: rc >'), 4, 'bad failed_when expression'],
    ['bad changed_when', play('    - ping:', '      changed_when: "out.stdout | lenght > 0"'), 4, "unknown filter 'lenght' (did you mean 'length'?)"],
    ['bad tags type', play('    - ping:', '      tags: {a: 1}'), 4, 'tags must be a list or a comma-separated string, got a mapping'],
    ['bad tag in list', play('    - ping:', '      tags:', '        - ok', '        - [nested]'), 6, 'tags must be strings, got a list'],
    ['templated tag', play('    - ping:', '      tags: "{{ t }}"'), 4, 'tags cannot be templates'],
    ['bad play tags', '- hosts: all\n  tags: true\n', 2, 'tags must be a list or a comma-separated string'],
    ['loop not a list', play('    - ping:', '      loop: a,b'), 4, "loop must be a list (or one {{ }} template that gives a list), got 'a,b'"],
    ['loop a mapping', play('    - ping:', '      loop: {a: 1}'), 4, 'loop must be a list'],
    ['delegate_to elsewhere', play('    - ping:', '      delegate_to: h2'), 4, "delegate_to: only localhost is supported, got 'h2'"],
    ['register not a name', play('    - ping:', '      register: my-result'), 4, 'register must be a variable name'],
    ['ignore_errors not a bool', play('    - ping:', '      ignore_errors: sometimes'), 4, 'ignore_errors must be true or false'],
    ['unknown block keyword', play('    - block:', '        - ping:', '      ping:'), 5, "unknown block keyword 'ping'"],
    ['block not a list', play('    - block: ping'), 3, 'block must be a list'],
    ['error inside a rescue', play('    - block:', '        - ping:', '      rescue:', '        - debug: msg=x', '          when: (x'), 7, 'bad when expression'],
    ['bad template in a task name', play("    - name: 'copy {{ f '", '      ping:'), 3, "bad template in name: '{{' is never closed"],
    ['bad template in vars', '- hosts: all\n  vars:\n    a: 1\n    b: "{{ a + }}"\n', 4, 'bad template in vars b'],
  ])('%s', (_, text, line, message) => {
    const e = errorOf(text);
    expect(e.line).toBe(line);
    expect(e.message).toContain(message);
    expect(e.message.startsWith(`${F}:${line}: `)).toBe(true);
    expect(e.message).not.toContain('\n');
  });

  it('is a ParseError with exit code 4, like an inventory error', () => {
    const e = errorOf('hosts: all\n');
    expect(e).toBeInstanceOf(ParseError);
    expect(e.exitCode).toBe(EXIT.parse);
    expect(e.exitCode).toBe(4);
  });
});
