# The C entry points of modbus_reads.pyx, for the compiled decoder to cimport.
cdef object registers_answer(const unsigned char* pdu, Py_ssize_t size)
cdef object bits_answer(const unsigned char* pdu, Py_ssize_t size, object quantity)
