/*
 * jit.h — libtcc compilation of C reducers and modules, the reducer API
 * (strand.h) and fault containment around calls into compiled code.
 *
 * Not built yet (a later issue).
 */
#ifndef STRAND_JIT_H
#define STRAND_JIT_H
#endif
